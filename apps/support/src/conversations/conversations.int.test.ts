import { markReplyFailed } from '@wxcs/db';
import { describe, expect } from 'vitest';
import { ago, seedReply, seedSessionEntry, seedUserImage, seedUserText } from '../testing/seed.js';
import { CLINIC, SHOP, supportTest, textReply, type TestSupport } from '../testing/support.js';

const test = supportTest('conversations');

const HOUR = 3_600_000;

interface ListedConversation {
  readonly lastActivityAt: string;
  readonly lastMessage: unknown;
  readonly unansweredCount: number;
  readonly window: unknown;
}

/** A conversation as the list shows it, found by walking every page. */
async function listed(support: TestSupport, app: string, openid: string) {
  let cursor: string | null = null;
  do {
    const res = await support.call(`/api/v1/apps/${app}/conversations?limit=100${cursor === null ? '' : `&cursor=${cursor}`}`);
    expect(res.status).toBe(200);
    const found = (res.json.conversations as (ListedConversation & { openid: string })[]).find((conversation) => conversation.openid === openid);
    if (found) return found;
    cursor = res.json.nextCursor as string | null;
  } while (cursor !== null);
  throw new Error(`${openid} not listed`);
}

describe('GET conversations', () => {
  test('lists newest activity first, ties by openid, page by page through the cursor', async ({ support }) => {
    const base = Date.now() - 60_000;
    const at = (s: number) => new Date(base + s * 1_000);
    await seedUserText(support.prisma, { appId: CLINIC.appId, openid: 'o_list_a', at: at(0), text: 'first' });
    await seedUserText(support.prisma, { appId: CLINIC.appId, openid: 'o_list_b', at: at(10), text: 'second' });
    await seedUserImage(support.prisma, { appId: CLINIC.appId, openid: 'o_list_c', at: at(20), mediaId: 'user-media-1' });
    await seedUserText(support.prisma, { appId: CLINIC.appId, openid: 'o_list_e', at: at(30), text: 'tie' });
    await seedUserText(support.prisma, { appId: CLINIC.appId, openid: 'o_list_d', at: at(30), text: 'tie too' });

    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const res = await support.call(`/api/v1/apps/${CLINIC.name}/conversations?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`);
      expect(res.status).toBe(200);
      pages.push((res.json.conversations as { openid: string }[]).map((conversation) => conversation.openid));
      cursor = res.json.nextCursor as string | null;
    } while (cursor !== null);
    expect(pages).toEqual([['o_list_d', 'o_list_e'], ['o_list_c', 'o_list_b'], ['o_list_a']]);

    const first = await support.call(`/api/v1/apps/${CLINIC.name}/conversations?limit=100`);
    const image = (first.json.conversations as Record<string, unknown>[]).find((conversation) => conversation.openid === 'o_list_c');
    expect(image).toEqual({
      openid: 'o_list_c',
      lastActivityAt: at(20).toISOString(),
      lastMessage: { direction: 'inbound', id: expect.any(String), type: 'image', summary: '[image]', time: at(20).toISOString() },
      unansweredCount: 1,
      window: { deadline: new Date(at(20).getTime() + 48 * HOUR).toISOString(), repliesLeft: 5, open: true },
    });
    expect(first.json.nextCursor).toBeNull();
  });

  test('counts unanswered user messages: those received after the latest queued or sent reply', async ({ support }) => {
    const openid = 'o_unanswered';
    await seedUserText(support.prisma, { appId: SHOP.appId, openid, at: ago(30_000), text: 'Is it in stock?' });
    await seedUserText(support.prisma, { appId: SHOP.appId, openid, at: ago(20_000), text: 'Hello??' });
    // A session entry is not a question.
    await seedSessionEntry(support.prisma, { appId: SHOP.appId, openid, at: ago(15_000) });
    const before = await listed(support, SHOP.name, openid);
    expect(before.unansweredCount).toBe(2);
    expect(before.lastMessage).toMatchObject({ direction: 'inbound', type: 'event', summary: '[event] user_enter_tempsession' });

    const reply = await support.call(`/api/v1/apps/${SHOP.name}/conversations/${openid}/replies`, { json: textReply('Yes, 3 left.') });
    expect(reply.status).toBe(202);
    const answered = await listed(support, SHOP.name, openid);
    expect(answered.unansweredCount).toBe(0);
    expect(answered.lastMessage).toMatchObject({ direction: 'outbound', id: reply.json.id, type: 'text', summary: 'Yes, 3 left.', status: 'queued' });
    expect(answered.window).toMatchObject({ repliesLeft: 1, open: true });
    expect(Date.parse(answered.lastActivityAt)).toBeGreaterThan(Date.parse(before.lastActivityAt));

    await seedUserText(support.prisma, { appId: SHOP.appId, openid, at: new Date(), text: 'Thanks! And in blue?' });
    expect((await listed(support, SHOP.name, openid)).unansweredCount).toBe(1);

    // A reply that failed answered nothing.
    await markReplyFailed(support.prisma, { id: reply.json.id as string, at: new Date(), errcode: 45047, errmsg: 'out of response count limit rid: 1-2-3' });
    expect((await listed(support, SHOP.name, openid)).unansweredCount).toBe(3);
  });

  test('shows a closed window as closed', async ({ support }) => {
    await seedSessionEntry(support.prisma, { appId: CLINIC.appId, openid: 'o_closed', at: ago(5 * 60_000) });
    const closed = await listed(support, CLINIC.name, 'o_closed');
    expect(closed.window).toMatchObject({ repliesLeft: 2, open: false });
    expect(closed.unansweredCount).toBe(0);
  });

  test('filters unanswered conversations and windows closing within the hour, and finds openids by prefix', async ({ support }) => {
    const openids = (res: { json: { conversations: { openid: string }[] } }) => res.json.conversations.map((conversation) => conversation.openid).filter((openid) => openid.startsWith('o_filter_'));
    // Written 47.5 hours ago: its window closes within the hour. Answered: nothing unanswered.
    await seedUserText(support.prisma, { appId: SHOP.appId, openid: 'o_filter_closing', at: ago(47.5 * HOUR), text: 'still there?' });
    await seedUserText(support.prisma, { appId: SHOP.appId, openid: 'o_filter_answered', at: ago(60_000), text: 'thanks' });
    await seedReply(support.prisma, { appId: SHOP.appId, openid: 'o_filter_answered', at: ago(30_000), text: 'you are welcome' });
    await seedUserText(support.prisma, { appId: SHOP.appId, openid: 'o_filter_waiting', at: ago(20_000), text: 'hello?' });
    const path = `/api/v1/apps/${SHOP.name}/conversations?limit=100`;
    expect(openids(await support.call(`${path}&filter=unanswered`))).toEqual(['o_filter_waiting', 'o_filter_closing']);
    expect(openids(await support.call(`${path}&filter=closing`))).toEqual(['o_filter_closing']);
    expect(openids(await support.call(`${path}&openid=o_filter_w`))).toEqual(['o_filter_waiting']);
    // `_` is a LIKE wildcard: a prefix is matched as written.
    expect(openids(await support.call(`${path}&openid=o_filter_`))).toHaveLength(3);
    expect((await support.call(`${path}&openid=o%filter`)).status).toBe(400);
    expect((await support.call(`${path}&filter=closed`)).json).toMatchObject({ error: 'invalid_query', field: 'filter' });
  });

  test('refuses a bad limit or cursor with 400, and answers 404 for an unknown app', async ({ support }) => {
    for (const query of ['limit=0', 'limit=101', 'limit=x', 'cursor=%2B%2B', `cursor=${Buffer.from('{"k":"messages"}').toString('base64url')}`]) {
      const res = await support.call(`/api/v1/apps/${CLINIC.name}/conversations?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.json.error).toBe('invalid_query');
    }
    expect((await support.call('/api/v1/apps/nosuchapp/conversations')).status).toBe(404);
  });
});

describe('GET messages', () => {
  test('merges messages and replies in time order, inbound first at the same instant, page by page both ways', async ({ support }) => {
    const openid = 'o_thread';
    const t0 = Date.now() - 60_000;
    await seedUserText(support.prisma, { appId: SHOP.appId, openid, at: new Date(t0), text: 'I have a question' });
    await seedUserImage(support.prisma, { appId: SHOP.appId, openid, at: new Date(t0 + 1_000), mediaId: 'user-photo' });
    await seedUserText(support.prisma, { appId: SHOP.appId, openid, at: new Date(t0 + 1_000), text: 'this one' });
    const tie = await seedReply(support.prisma, { appId: SHOP.appId, openid, at: new Date(t0 + 1_000), text: 'Looking', sentBy: 'crm' });
    const last = await support.call(`/api/v1/apps/${SHOP.name}/conversations/${openid}/replies`, { json: textReply('It is in stock.') });
    expect(last.status).toBe(202);

    const walk = async (order?: string) => {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const query = [`limit=2`, order && `order=${order}`, cursor && `cursor=${cursor}`].filter(Boolean).join('&');
        const res = await support.call(`/api/v1/apps/${SHOP.name}/conversations/${openid}/messages?${query}`);
        expect(res.status).toBe(200);
        pages.push((res.json.messages as { direction: string; type: string; content: Record<string, string> }[]).map(
          (message) => `${message.direction}:${message.content.text ?? message.content.content ?? message.content.media_id}`,
        ));
        cursor = res.json.nextCursor as string | null;
      } while (cursor !== null);
      return pages;
    };
    expect(await walk()).toEqual([
      ['inbound:I have a question', 'inbound:user-photo'],
      ['inbound:this one', 'outbound:Looking'],
      ['outbound:It is in stock.'],
    ]);
    expect(await walk('desc')).toEqual([
      ['outbound:It is in stock.', 'outbound:Looking'],
      ['inbound:this one', 'inbound:user-photo'],
      ['inbound:I have a question'],
    ]);

    const res = await support.call(`/api/v1/apps/${SHOP.name}/conversations/${openid}/messages?order=desc&limit=2`);
    expect(res.json.messages[1]).toEqual({
      direction: 'outbound',
      id: tie.id,
      type: 'text',
      time: new Date(t0 + 1_000).toISOString(),
      content: { content: 'Looking' },
      status: 'queued',
      errcode: null,
      errmsg: null,
      rid: null,
      sentBy: 'crm',
      sentAt: null,
      failedAt: null,
      archive: null,
    });
    expect(res.json.window).toEqual({ deadline: new Date(t0 + 1_000 + 48 * HOUR).toISOString(), repliesLeft: 3, open: true });
    const inbound = await support.call(`/api/v1/apps/${SHOP.name}/conversations/${openid}/messages?limit=1`);
    expect(inbound.json.messages).toEqual([{ direction: 'inbound', id: expect.any(String), type: 'text', time: new Date(t0).toISOString(), content: { text: 'I have a question' }, archive: null }]);

    // A cursor keeps its order.
    const mixed = await support.call(`/api/v1/apps/${SHOP.name}/conversations/${openid}/messages?order=asc&cursor=${res.json.nextCursor}`);
    expect(mixed.status).toBe(400);
    expect(mixed.json).toMatchObject({ error: 'invalid_query', field: 'order' });
  });

  test('answers an empty page and no window for a user never seen', async ({ support }) => {
    const res = await support.call(`/api/v1/apps/${SHOP.name}/conversations/o_stranger/messages`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ messages: [], window: null, nextCursor: null });
  });
});
