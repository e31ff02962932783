import { markReplySent } from '@wxcs/db';
import { databaseTest } from '@wxcs/db/testing';
import { createLogger } from '@wxcs/logger';
import { waitFor } from '@wxcs/testkit';
import { describe, expect } from 'vitest';
import { ago, seedReply, seedUserText } from '../testing/seed.js';
import { CLINIC, SHOP } from '../testing/support.js';
import { createChangeFeed, type InboxChange } from './change-feed.js';

const test = databaseTest('support-change-feed');

describe('the inbox change feed', () => {
  test('tells each new message, reply and reply status once, for its apps only, and tells listeners when it closes', async ({ db }) => {
    const feed = createChangeFeed({ prisma: db.prisma, appIds: [SHOP.appId], intervalMs: 50, logger: createLogger({ name: 'support', level: 'silent' }) });
    const seen: InboxChange[] = [];
    let closed = 0;
    feed.subscribe({ changes: (changes) => seen.push(...changes), closed: () => (closed += 1) });
    const until = (what: string, predicate: (change: InboxChange) => boolean) => waitFor(what, async () => seen.some(predicate), { timeoutMs: 5_000 });

    await seedUserText(db.prisma, { appId: SHOP.appId, openid: 'o_feed', at: ago(1_000), text: 'hello' });
    await seedUserText(db.prisma, { appId: CLINIC.appId, openid: 'o_elsewhere', at: ago(1_000), text: 'not watched' });
    await until('the new message', (change) => change.kind === 'conversation' && change.openid === 'o_feed');

    const reply = await seedReply(db.prisma, { appId: SHOP.appId, openid: 'o_feed', at: new Date(), text: 'hi!' });
    await until('the queued reply', (change) => change.kind === 'reply' && change.id === reply.id && change.status === 'queued');
    await markReplySent(db.prisma, { id: reply.id, at: new Date(), errcode: 0, errmsg: 'ok' });
    await until('the sent reply', (change) => change.kind === 'reply' && change.id === reply.id && change.status === 'sent');

    // Polls overlap in time; what was told once is not told again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const replyEvents = seen.filter((change) => change.kind === 'reply').map((change) => change.kind === 'reply' && change.status);
    expect(replyEvents).toEqual(['queued', 'sent']);
    expect(seen.filter((change) => change.kind === 'conversation' && change.openid === 'o_feed').length).toBeLessThanOrEqual(2);
    expect(seen.some((change) => change.appId === CLINIC.appId)).toBe(false);

    feed.close();
    expect(closed).toBe(1);
  });
});
