import { claimReplySend, findReply, findStaleQueuedReplies } from '@wxcs/db';
import { deadLetterQueue, outboundQueue, replayDeadLetters, type DeadLetterQueue, type OutboundQueue } from '@wxcs/queue';
import type { FakeWechatApi } from '@wxcs/testkit';
import { describe, expect } from 'vitest';
import {
  INBOUND_ONLY_APP,
  SENDING_APP,
  SEND_PATH,
  completedResult,
  enqueueReply,
  newOpenid,
  outboundTest,
  storeReply,
  waitForEnded,
} from './testing/outbound-test.js';

const test = outboundTest('outbound');
const APP_ID = SENDING_APP.appId;

const sentTo = (fake: FakeWechatApi, openid: string) => fake.sent(APP_ID).filter((message) => message.touser === openid);
const replyJobId = (id: string) => outboundQueue.jobId({ v: 1, replyId: id, app: SENDING_APP.name });

async function deadLetterOf(deadLetters: DeadLetterQueue, id: string) {
  return (await deadLetters.getJob(deadLetterQueue.jobId({ sourceJobId: replyJobId(id) } as Parameters<typeof deadLetterQueue.jobId>[0])))?.data;
}

async function replay(deadLetters: DeadLetterQueue, outbound: OutboundQueue, id: string): Promise<string> {
  const letterId = `dl-${replyJobId(id)}`;
  expect(await replayDeadLetters(deadLetters, [outbound], { attempts: 5 }, { ids: [letterId] })).toEqual([letterId]);
  const replayed = (await outbound.getJobs(['waiting', 'active', 'completed', 'delayed'])).find((job) => job.id?.startsWith(`${replyJobId(id)}-replay-`));
  if (replayed?.id === undefined) throw new Error('the replayed job is not in the outbound queue');
  return replayed.id;
}

describe('a reply within the window', () => {
  test('is sent once, in WeChat’s shape, with the current token, and ends sent', async ({ database, fake, outbound, worker }) => {
    const openid = newOpenid('sent');
    fake.userSentMessage(APP_ID, openid);
    const body = { msgtype: 'link', link: { title: '订单', description: '已发货', url: 'https://example.com/o/1', thumb_url: 'https://example.com/t.png' } };
    const reply = await storeReply(database.prisma, openid, { msgType: 'link', body });
    const job = await enqueueReply(outbound, reply);

    const ended = await waitForEnded(database.prisma, reply.id);
    expect(ended).toMatchObject({ status: 'sent', errcode: 0, errmsg: 'ok', rid: null, failedAt: null });
    expect(ended.sentAt).toBeInstanceOf(Date);
    expect(ended.sendingSince).toBeInstanceOf(Date);
    expect(sentTo(fake, openid)).toEqual([
      { touser: openid, msgtype: 'link', body: { touser: openid, ...body }, at: expect.any(Number) as number, accessToken: fake.currentToken(APP_ID) },
    ]);
    expect(await completedResult(outbound, job.id ?? '')).toEqual({ outcome: 'sent', replyId: reply.id });
    expect(await worker.metric('wxcs_worker_replies_total', { app: SENDING_APP.name, outcome: 'sent', errcode: '0' })).toBeGreaterThanOrEqual(1);
    expect(await worker.metric('wxcs_worker_reply_send_duration_seconds', { result: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(await worker.metric('wxcs_worker_wechat_token_fetches_total', { app: SENDING_APP.name, mode: 'normal', result: 'ok' })).toBe(1);
  });

  test('goes to the reply’s openid whatever the stored body says', async ({ database, fake, outbound }) => {
    const openid = newOpenid('touser');
    fake.userSentMessage(APP_ID, openid);
    fake.userSentMessage(APP_ID, 'o-someone-else');
    const reply = await storeReply(database.prisma, openid, { body: { msgtype: 'text', text: { content: 'hi' }, touser: 'o-someone-else' } });
    await enqueueReply(outbound, reply);
    expect(await waitForEnded(database.prisma, reply.id)).toMatchObject({ status: 'sent' });
    expect(sentTo(fake, openid)).toHaveLength(1);
    expect(sentTo(fake, 'o-someone-else')).toHaveLength(0);
  });

  test('a repeated job or a replayed one for a sent reply sends nothing more', async ({ database, fake, outbound }) => {
    const openid = newOpenid('repeat');
    fake.userSentMessage(APP_ID, openid);
    const reply = await storeReply(database.prisma, openid);
    await enqueueReply(outbound, reply);
    await waitForEnded(database.prisma, reply.id);
    const calls = fake.calls(SEND_PATH);

    await enqueueReply(outbound, reply);
    const again = await enqueueReply(outbound, reply, { jobId: `${replyJobId(reply.id)}-replay-test` });
    expect(await completedResult(outbound, again.id ?? '')).toEqual({ outcome: 'already-ended', replyId: reply.id });
    expect(fake.calls(SEND_PATH)).toBe(calls);
    expect(sentTo(fake, openid)).toHaveLength(1);
  });
});

describe('the token', () => {
  test('a 40001 refreshes the token once and the reply is sent once with the new one', async ({ database, fake, outbound, worker }) => {
    const openid = newOpenid('token');
    fake.userSentMessage(APP_ID, openid);
    const warm = await storeReply(database.prisma, openid);
    await enqueueReply(outbound, warm);
    await waitForEnded(database.prisma, warm.id);
    const [fetches, calls] = [fake.tokenFetches(APP_ID), fake.calls(SEND_PATH)];

    fake.failNext(SEND_PATH, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
    const reply = await storeReply(database.prisma, openid);
    await enqueueReply(outbound, reply);
    expect(await waitForEnded(database.prisma, reply.id)).toMatchObject({ status: 'sent', errcode: 0 });
    expect(fake.tokenFetches(APP_ID)).toEqual({ normal: fetches.normal, forced: fetches.forced + 1 });
    expect(fake.calls(SEND_PATH)).toBe(calls + 2);
    expect(sentTo(fake, openid).map((message) => message.accessToken)).toEqual([expect.any(String), fake.currentToken(APP_ID)]);
    expect(await worker.metric('wxcs_worker_wechat_token_fetches_total', { mode: 'forced', result: 'ok' })).toBe(1);
  });
});

describe('refusals end the reply failed, with no retry', () => {
  test('45015: no window; the code and the rid are kept', async ({ database, fake, outbound, deadLetters }) => {
    const openid = newOpenid('closed');
    const calls = fake.calls(SEND_PATH);
    const reply = await storeReply(database.prisma, openid);
    const job = await enqueueReply(outbound, reply);
    const ended = await waitForEnded(database.prisma, reply.id);
    expect(ended).toMatchObject({ status: 'failed', errcode: 45015, sentAt: null });
    expect(ended.rid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    expect(ended.errmsg).toContain(`rid: ${ended.rid ?? ''}`);
    expect(await completedResult(outbound, job.id ?? '')).toEqual({ outcome: 'failed', replyId: reply.id });
    expect(fake.calls(SEND_PATH)).toBe(calls + 1);
    expect(await deadLetterOf(deadLetters, reply.id)).toBeUndefined();
  });

  test('45047: a session entry allows two replies, the third fails with the code and rid', async ({ database, fake, outbound }) => {
    const openid = newOpenid('count');
    fake.userEnteredSession(APP_ID, openid);
    const calls = fake.calls(SEND_PATH);
    const statuses = [];
    for (let n = 0; n < 3; n += 1) {
      const reply = await storeReply(database.prisma, openid);
      await enqueueReply(outbound, reply);
      statuses.push(await waitForEnded(database.prisma, reply.id));
    }
    expect(statuses.map((reply) => [reply.status, reply.errcode])).toEqual([
      ['sent', 0],
      ['sent', 0],
      ['failed', 45047],
    ]);
    expect(statuses[2]?.rid).toMatch(/^[0-9a-f-]{26}$/);
    expect(fake.calls(SEND_PATH)).toBe(calls + 3);
    expect(sentTo(fake, openid)).toHaveLength(2);
  });

  test('45009: the daily quota fails the reply and leaves a dead letter whose replay sends nothing', async ({ database, fake, outbound, deadLetters }) => {
    const openid = newOpenid('quota');
    fake.userSentMessage(APP_ID, openid);
    fake.failNext(SEND_PATH, { errcode: 45009, errmsg: 'reach max api daily quota limit' });
    const calls = fake.calls(SEND_PATH);
    const reply = await storeReply(database.prisma, openid);
    await enqueueReply(outbound, reply);
    expect(await waitForEnded(database.prisma, reply.id)).toMatchObject({ status: 'failed', errcode: 45009 });
    const letter = await deadLetterOf(deadLetters, reply.id);
    expect(letter).toMatchObject({ origin: outboundQueue.name, code: 'wechat_quota', kind: 'permanent', payload: { replyId: reply.id } });

    const replayed = await replay(deadLetters, outbound, reply.id);
    expect(await completedResult(outbound, replayed)).toEqual({ outcome: 'already-ended', replyId: reply.id });
    expect(fake.calls(SEND_PATH)).toBe(calls + 1);
    expect(sentTo(fake, openid)).toHaveLength(0);
  });

  test('an app without an AppSecret: the reply fails at once and nothing reaches WeChat', async ({ database, fake, outbound }) => {
    const calls = fake.calls(SEND_PATH);
    const reply = await storeReply(database.prisma, newOpenid('inbound-only'), { appId: INBOUND_ONLY_APP.appId });
    await enqueueReply(outbound, reply, { app: INBOUND_ONLY_APP.name });
    const ended = await waitForEnded(database.prisma, reply.id);
    expect(ended).toMatchObject({ status: 'failed', errcode: null, rid: null });
    expect(ended.errmsg).toMatch(/^app_cannot_send: the app "outlet" has no AppSecret/);
    expect(fake.calls(SEND_PATH)).toBe(calls);
  });
});

describe('transient failures', () => {
  test('-1 twice: retried with backoff, then sent once', async ({ database, fake, outbound, worker }) => {
    const openid = newOpenid('busy');
    fake.userSentMessage(APP_ID, openid);
    fake.failNext(SEND_PATH, { errcode: -1, errmsg: 'system error' }, 2);
    const calls = fake.calls(SEND_PATH);
    const reply = await storeReply(database.prisma, openid);
    await enqueueReply(outbound, reply);
    expect(await waitForEnded(database.prisma, reply.id)).toMatchObject({ status: 'sent', errcode: 0, errmsg: 'ok' });
    expect(fake.calls(SEND_PATH)).toBe(calls + 3);
    expect(sentTo(fake, openid)).toHaveLength(1);
    expect(await worker.metric('wxcs_worker_replies_total', { outcome: 'retried', errcode: '-1' })).toBeGreaterThanOrEqual(2);
  });

  test('WeChat took the message and its answer was lost: failed as outcome unknown, never sent again', async ({ database, fake, outbound }) => {
    const openid = newOpenid('lost');
    fake.userSentMessage(APP_ID, openid);
    // Accepted at once, answered after the worker's 500 ms timeout.
    fake.failNext(SEND_PATH, { delayMs: 3_000 });
    const calls = fake.calls(SEND_PATH);
    const reply = await storeReply(database.prisma, openid);
    const job = await enqueueReply(outbound, reply);
    const ended = await waitForEnded(database.prisma, reply.id);
    expect(ended).toMatchObject({ status: 'failed', errcode: null, rid: null });
    expect(ended.errmsg).toMatch(/^outcome_unknown: no answer within 500 ms after the request was sent; WeChat may have delivered it/);
    expect(await completedResult(outbound, job.id ?? '')).toEqual({ outcome: 'unknown', replyId: reply.id });
    expect(fake.calls(SEND_PATH)).toBe(calls + 1);
    expect(sentTo(fake, openid)).toHaveLength(1);
  });

  test('every attempt refused with -1: held for an operator, and replaying its dead letter sends it once', async ({ database, fake, outbound, deadLetters }) => {
    const openid = newOpenid('exhausted');
    fake.userSentMessage(APP_ID, openid);
    fake.failNext(SEND_PATH, { errcode: -1, errmsg: 'system error' }, 3);
    const reply = await storeReply(database.prisma, openid);
    const job = await enqueueReply(outbound, reply, { attempts: 3 });
    expect(await completedResult(outbound, job.id ?? '')).toEqual({ outcome: 'held', replyId: reply.id });
    expect(await findReply(database.prisma, reply.id)).toMatchObject({ status: 'queued', sendingSince: null, errcode: -1, errmsg: expect.stringContaining('system error') as string });
    expect(await deadLetterOf(deadLetters, reply.id)).toMatchObject({ code: 'retries_exhausted', kind: 'exhausted', attemptsMade: 3 });
    // Held: the sweep for replies without a job leaves it to the operator.
    const stale = await findStaleQueuedReplies(database.prisma, { appIds: [APP_ID], olderThan: new Date(Date.now() + 60_000), notBefore: new Date(0), limit: 1_000 });
    expect(stale.map((row) => row.id)).not.toContain(reply.id);
    expect(sentTo(fake, openid)).toHaveLength(0);

    await replay(deadLetters, outbound, reply.id);
    expect(await waitForEnded(database.prisma, reply.id)).toMatchObject({ status: 'sent', errcode: 0, errmsg: 'ok', rid: null });
    expect(sentTo(fake, openid)).toHaveLength(1);
  });

  test('a claim left by an attempt long gone: failed as outcome unknown, nothing sent', async ({ database, fake, outbound }) => {
    const openid = newOpenid('orphaned-claim');
    fake.userSentMessage(APP_ID, openid);
    const calls = fake.calls(SEND_PATH);
    const reply = await storeReply(database.prisma, openid);
    await claimReplySend(database.prisma, reply.id, new Date(Date.now() - 3_600_000));
    await enqueueReply(outbound, reply);
    const ended = await waitForEnded(database.prisma, reply.id);
    expect(ended).toMatchObject({ status: 'failed', errcode: null });
    expect(ended.errmsg).toMatch(/^outcome_unknown: a send started at .* never recorded WeChat's answer/);
    expect(fake.calls(SEND_PATH)).toBe(calls);
  });
});
