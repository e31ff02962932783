import { describe, expect } from 'vitest';
import { databaseTest, insertQueuedReply } from '../testing/index.js';
import { findReply, markReplyFailed, markReplySent } from './replies.js';
import {
  claimReplySend,
  findStaleQueuedReplies,
  markReplyFailedWithoutAnswer,
  markReplyHeld,
  releaseReplySend,
} from './reply-send.js';

const test = databaseTest('reply-send');

const t0 = new Date('2026-03-01T08:00:00.000Z');
const after = (ms: number) => new Date(t0.getTime() + ms);

describe('the send claim', () => {
  test('of many concurrent claims exactly one gets the reply', async ({ db }) => {
    const reply = await insertQueuedReply(db.prisma, { appId: 'wx_claim', openid: 'o_user', createdAt: t0 });
    expect(reply).toMatchObject({ status: 'queued', sendingSince: null });
    const claims = await Promise.all(Array.from({ length: 8 }, (_, index) => claimReplySend(db.prisma, reply.id, after(index + 1))));
    const won = claims.filter((claim) => claim !== undefined);
    expect(won).toHaveLength(1);
    expect(won[0]?.sendingSince).toBeInstanceOf(Date);
    expect((await findReply(db.prisma, reply.id))?.sendingSince).toEqual(won[0]?.sendingSince);
  });

  test('a released claim can be taken again; only its own claim is released', async ({ db }) => {
    const reply = await insertQueuedReply(db.prisma, { appId: 'wx_release', openid: 'o_user', createdAt: t0 });
    expect(await claimReplySend(db.prisma, reply.id, after(1_000))).toMatchObject({ sendingSince: after(1_000) });
    expect(await releaseReplySend(db.prisma, reply.id, after(999))).toBe(false);
    expect((await findReply(db.prisma, reply.id))?.sendingSince).toEqual(after(1_000));
    expect(await releaseReplySend(db.prisma, reply.id, after(1_000))).toBe(true);
    expect(await releaseReplySend(db.prisma, reply.id, after(1_000))).toBe(false);
    expect(await claimReplySend(db.prisma, reply.id, after(2_000))).toMatchObject({ sendingSince: after(2_000) });
  });

  test('a claimed reply ends sent or failed; an ended reply can be neither claimed nor released', async ({ db }) => {
    const sent = await insertQueuedReply(db.prisma, { appId: 'wx_end', openid: 'o_user', createdAt: t0 });
    const failed = await insertQueuedReply(db.prisma, { appId: 'wx_end', openid: 'o_user', createdAt: t0 });
    await claimReplySend(db.prisma, sent.id, after(1_000));
    await claimReplySend(db.prisma, failed.id, after(1_000));
    expect(await markReplySent(db.prisma, { id: sent.id, at: after(2_000), errcode: 0, errmsg: 'ok' })).toMatchObject({
      status: 'sent',
      sentAt: after(2_000),
      sendingSince: after(1_000),
    });
    const answer = { errcode: 45015, errmsg: 'response out of time limit rid: 1-2-3', rid: '1-2-3' };
    expect(await markReplyFailed(db.prisma, { id: failed.id, at: after(2_000), ...answer })).toMatchObject({ status: 'failed', ...answer });
    expect(await releaseReplySend(db.prisma, sent.id, after(1_000))).toBe(false);
    expect(await claimReplySend(db.prisma, sent.id, after(3_000))).toBeUndefined();
    expect(await claimReplySend(db.prisma, failed.id, after(3_000))).toBeUndefined();
    expect(await claimReplySend(db.prisma, '1; DROP TABLE customer_reply', after(3_000))).toBeUndefined();
  });

  test('a failure of ours has no errcode or rid, and ends only a queued reply', async ({ db }) => {
    const reply = await insertQueuedReply(db.prisma, { appId: 'wx_ours', openid: 'o_user', createdAt: t0 });
    await claimReplySend(db.prisma, reply.id, after(1_000));
    const failure = { id: reply.id, at: after(5_000), errmsg: 'outcome_unknown: no answer' };
    expect(await markReplyFailedWithoutAnswer(db.prisma, failure)).toMatchObject({
      status: 'failed',
      failedAt: after(5_000),
      errcode: null,
      errmsg: 'outcome_unknown: no answer',
      rid: null,
    });
    expect(await markReplyFailedWithoutAnswer(db.prisma, { ...failure, errmsg: 'again' })).toBeUndefined();
    expect(await markReplySent(db.prisma, { id: reply.id, at: after(6_000) })).toBeUndefined();
  });
});

describe('replies without a job', () => {
  test('the sweep finds queued, unclaimed replies never given up on, in the time range, of the apps asked', async ({ db }) => {
    const reply = (openid: string, createdAt: Date, appId = 'wx_stale') => insertQueuedReply(db.prisma, { appId, openid, createdAt });
    const orphan = await reply('o_orphan', after(1_000));
    const older = await reply('o_older', after(500));
    await reply('o_young', after(60_000));
    await reply('o_ancient', after(-1));
    await reply('o_other_app', after(1_000), 'wx_other');
    const claimed = await reply('o_claimed', after(1_000));
    await claimReplySend(db.prisma, claimed.id, after(2_000));
    const sent = await reply('o_sent', after(1_000));
    await markReplySent(db.prisma, { id: sent.id, at: after(2_000) });
    const held = await reply('o_held', after(1_000));
    expect(await markReplyHeld(db.prisma, { id: held.id, errcode: -1, errmsg: 'system error rid: 1-2-3', rid: '1-2-3' })).toMatchObject({
      status: 'queued',
      errcode: -1,
      rid: '1-2-3',
    });

    const query = { appIds: ['wx_stale'], notBefore: t0, olderThan: after(60_000), limit: 10 };
    expect((await findStaleQueuedReplies(db.prisma, query)).map((row) => row.openid)).toEqual([older.openid, orphan.openid]);
    expect(await findStaleQueuedReplies(db.prisma, { ...query, limit: 1 })).toEqual([older]);
    expect(await findStaleQueuedReplies(db.prisma, { ...query, appIds: [] })).toEqual([]);
  });

  test('a reply is held only while queued and unclaimed', async ({ db }) => {
    const claimed = await insertQueuedReply(db.prisma, { appId: 'wx_hold', openid: 'o_user', createdAt: t0 });
    await claimReplySend(db.prisma, claimed.id, after(1_000));
    expect(await markReplyHeld(db.prisma, { id: claimed.id, errcode: null, errmsg: 'retries_exhausted', rid: null })).toBeUndefined();
  });
});
