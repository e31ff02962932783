import { describe, expect } from 'vitest';
import { databaseTest } from '../testing/index.js';
import { findConversationWindow, openConversationWindow } from './conversation-window.js';
import { findReply, markReplyFailed, markReplySent, reserveReply, type ReserveReplyInput } from './replies.js';

const test = databaseTest('replies');

const HOUR = 60 * 60 * 1000;
const t0 = new Date('2026-03-01T08:00:00.000Z');
const after = (ms: number) => new Date(t0.getTime() + ms);

const text = (content: string) => ({ msgtype: 'text', text: { content } });

function reply(appId: string, overrides: Partial<ReserveReplyInput> = {}): ReserveReplyInput {
  return { appId, openid: 'o_user', msgType: 'text', body: text('hi'), sentBy: 'helpdesk', now: after(1_000), ...overrides };
}

const outcomes = (results: readonly { outcome: string; reason?: string }[]) =>
  results.map((result) => (result.outcome === 'refused' ? `refused:${result.reason}` : result.outcome)).sort();

describe('reserveReply', () => {
  test('six concurrent replies after one user message: five queued, the sixth refused', async ({ db }) => {
    await openConversationWindow(db.prisma, { appId: 'wx_six', openid: 'o_user', action: 'message', at: t0 });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, index) => reserveReply(db.prisma, reply('wx_six', { body: text(`r${index}`) }))),
    );
    expect(outcomes(results)).toEqual([...Array<string>(5).fill('queued'), 'refused:reply_quota_spent']);
    expect(await db.prisma.customerReply.count({ where: { appId: 'wx_six', status: 'queued' } })).toBe(5);
    expect(await findConversationWindow(db.prisma, { appId: 'wx_six', openid: 'o_user' })).toEqual({
      deadline: after(48 * HOUR),
      repliesLeft: 0,
      lastActionAt: t0,
      recentReplyTimes: Array<Date>(5).fill(after(1_000)),
    });
  });

  test('a session entry alone allows two replies within the minute', async ({ db }) => {
    await openConversationWindow(db.prisma, { appId: 'wx_entry', openid: 'o_user', action: 'session_entry', at: t0 });
    const results = [];
    for (let index = 0; index < 3; index += 1) results.push(await reserveReply(db.prisma, reply('wx_entry')));
    expect(results.map((result) => result.outcome)).toEqual(['queued', 'queued', 'refused']);
    expect(results[2]).toEqual({ outcome: 'refused', reason: 'reply_quota_spent' });

    await openConversationWindow(db.prisma, { appId: 'wx_entry', openid: 'o_late', action: 'session_entry', at: t0 });
    expect(await reserveReply(db.prisma, reply('wx_entry', { openid: 'o_late', now: after(60_000) }))).toEqual({
      outcome: 'refused',
      reason: 'reply_window_closed',
    });
  });

  test('48 hours after the message the window is closed', async ({ db }) => {
    await openConversationWindow(db.prisma, { appId: 'wx_late', openid: 'o_user', action: 'message', at: t0 });
    expect(await reserveReply(db.prisma, reply('wx_late', { now: after(48 * HOUR) }))).toEqual({
      outcome: 'refused',
      reason: 'reply_window_closed',
    });
    expect((await reserveReply(db.prisma, reply('wx_late', { now: after(48 * HOUR - 1) }))).outcome).toBe('queued');
    expect(await db.prisma.customerReply.count({ where: { appId: 'wx_late' } })).toBe(1);
  });

  test('refuses a conversation without a window', async ({ db }) => {
    expect(await reserveReply(db.prisma, reply('wx_none'))).toEqual({ outcome: 'refused', reason: 'reply_window_closed' });
    expect(await db.prisma.customerReply.count({ where: { appId: 'wx_none' } })).toBe(0);
  });

  test('the same idempotency key twice makes one reply and spends one', async ({ db }) => {
    await openConversationWindow(db.prisma, { appId: 'wx_key', openid: 'o_user', action: 'message', at: t0 });
    const first = await reserveReply(db.prisma, reply('wx_key', { idempotencyKey: 'k1', body: text('first') }));
    const again = await reserveReply(db.prisma, reply('wx_key', { idempotencyKey: 'k1', body: text('second') }));
    expect(first.outcome).toBe('queued');
    expect(again).toEqual({ outcome: 'repeated', reply: first.outcome === 'queued' ? first.reply : undefined });
    expect(await db.prisma.customerReply.count({ where: { appId: 'wx_key' } })).toBe(1);
    expect((await findConversationWindow(db.prisma, { appId: 'wx_key', openid: 'o_user' }))?.repliesLeft).toBe(4);

    // A caller retrying after the window closed or its quota was spent still gets its reply back.
    for (let index = 0; index < 4; index += 1) await reserveReply(db.prisma, reply('wx_key'));
    expect((await reserveReply(db.prisma, reply('wx_key', { idempotencyKey: 'k1' }))).outcome).toBe('repeated');
    expect((await reserveReply(db.prisma, reply('wx_key', { idempotencyKey: 'k1', now: after(49 * HOUR) }))).outcome).toBe(
      'repeated',
    );
  });

  test('the same idempotency key concurrently makes one reply and spends one', async ({ db }) => {
    await openConversationWindow(db.prisma, { appId: 'wx_race', openid: 'o_user', action: 'message', at: t0 });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => reserveReply(db.prisma, reply('wx_race', { idempotencyKey: 'same' }))),
    );
    expect(outcomes(results)).toEqual(['queued', ...Array<string>(5).fill('repeated')]);
    expect(new Set(results.map((result) => (result.outcome === 'refused' ? '' : result.reply.id))).size).toBe(1);
    expect(await db.prisma.customerReply.count({ where: { appId: 'wx_race' } })).toBe(1);
    expect((await findConversationWindow(db.prisma, { appId: 'wx_race', openid: 'o_user' }))?.repliesLeft).toBe(4);
  });

  test('a key repeated for another conversation returns the first reply and spends nothing there', async ({ db }) => {
    for (const openid of ['o_a', 'o_b']) {
      await openConversationWindow(db.prisma, { appId: 'wx_cross', openid, action: 'message', at: t0 });
    }
    const results = await Promise.all(
      ['o_a', 'o_b'].map((openid) => reserveReply(db.prisma, reply('wx_cross', { openid, idempotencyKey: 'shared' }))),
    );
    expect(outcomes(results)).toEqual(['queued', 'repeated']);
    const left = await Promise.all(
      ['o_a', 'o_b'].map(async (openid) => (await findConversationWindow(db.prisma, { appId: 'wx_cross', openid }))?.repliesLeft),
    );
    expect(left.sort()).toEqual([4, 5]);
  });

  test('a session entry after a message does not add up: two replies left, the 48 hours kept', async ({ db }) => {
    const conversation = { appId: 'wx_mix', openid: 'o_user' };
    await openConversationWindow(db.prisma, { ...conversation, action: 'message', at: t0 });
    expect((await reserveReply(db.prisma, reply('wx_mix'))).outcome).toBe('queued');
    expect(await openConversationWindow(db.prisma, { ...conversation, action: 'session_entry', at: after(HOUR) })).toEqual({
      deadline: after(48 * HOUR),
      repliesLeft: 2,
      lastActionAt: after(HOUR),
      recentReplyTimes: [after(1_000)],
    });
    const later = after(47 * HOUR);
    const results = [];
    for (let index = 0; index < 3; index += 1) results.push(await reserveReply(db.prisma, reply('wx_mix', { now: later })));
    expect(outcomes(results)).toEqual(['queued', 'queued', 'refused:reply_quota_spent']);
  });
});

describe('openConversationWindow', () => {
  test('concurrent first actions make one row, each applied in turn', async ({ db }) => {
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, index) =>
        openConversationWindow(db.prisma, { appId: 'wx_open', openid: 'o_user', action: 'message', at: after(index * 1_000) }),
      ),
    );
    expect(results.every((window) => window.repliesLeft === 5)).toBe(true);
    expect(await db.prisma.conversationWindow.count({ where: { appId: 'wx_open' } })).toBe(1);
    expect(await findConversationWindow(db.prisma, { appId: 'wx_open', openid: 'o_user' })).toEqual({
      deadline: after(48 * HOUR + 3_000),
      repliesLeft: 5,
      lastActionAt: after(3_000),
      recentReplyTimes: [],
    });
  });
});

describe('markReplySent, markReplyFailed and findReply', () => {
  test('end a queued reply once, keep WeChat’s answer and the body as sent', async ({ db }) => {
    await openConversationWindow(db.prisma, { appId: 'wx_end', openid: 'o_user', action: 'message', at: t0 });
    const body = { msgtype: 'miniprogrampage', miniprogrampage: { title: '订单 #1024', pagepath: 'pages/a?id=1', thumb_media_id: 'm' } };
    const sent = await reserveReply(db.prisma, reply('wx_end', { msgType: 'miniprogrampage', body, idempotencyKey: 'a' }));
    const failed = await reserveReply(db.prisma, reply('wx_end', { idempotencyKey: 'b' }));
    if (sent.outcome !== 'queued' || failed.outcome !== 'queued') throw new Error('both replies should be queued');

    expect(sent.reply).toMatchObject({ appId: 'wx_end', openid: 'o_user', msgType: 'miniprogrampage', body, sentBy: 'helpdesk' });
    expect(sent.reply).toMatchObject({ status: 'queued', createdAt: after(1_000), sentAt: null, errcode: null });

    const sentAt = after(2_000);
    expect(await markReplySent(db.prisma, { id: sent.reply.id, at: sentAt, errcode: 0, errmsg: 'ok' })).toEqual({
      ...sent.reply,
      status: 'sent',
      sentAt,
      errcode: 0,
      errmsg: 'ok',
    });
    const failedAt = after(3_000);
    const answer = { errcode: 45015, errmsg: 'response out of time limit rid: 65f1-2a', rid: '65f1-2a' };
    expect(await markReplyFailed(db.prisma, { id: failed.reply.id, at: failedAt, ...answer })).toEqual({
      ...failed.reply,
      status: 'failed',
      failedAt,
      ...answer,
    });

    // Only a queued reply ends: a late answer changes nothing.
    expect(await markReplyFailed(db.prisma, { id: sent.reply.id, at: failedAt, ...answer })).toBeUndefined();
    expect(await markReplySent(db.prisma, { id: failed.reply.id, at: sentAt })).toBeUndefined();
    expect((await findReply(db.prisma, sent.reply.id))?.status).toBe('sent');
    expect((await findReply(db.prisma, failed.reply.id))?.status).toBe('failed');
  });

  test('find nothing for an unknown or malformed id', async ({ db }) => {
    expect(await findReply(db.prisma, '987654321')).toBeUndefined();
    expect(await findReply(db.prisma, 'abc')).toBeUndefined();
    expect(await findReply(db.prisma, '99999999999999999999')).toBeUndefined();
    expect(await markReplySent(db.prisma, { id: '1; DROP TABLE x', at: t0 })).toBeUndefined();
  });
});
