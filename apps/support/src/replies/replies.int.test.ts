import { createLogger } from '@wxcs/logger';
import { createPostgresStore } from '@wxcs/media';
import { createProducerRedis, openQueue, outboundQueue } from '@wxcs/queue';
import { freePort, readMetric } from '@wxcs/testkit';
import { Registry } from 'prom-client';
import { describe, expect } from 'vitest';
import { createApp } from '../app.js';
import { createSupportApps } from '../http/support-apps.js';
import { createSupportMetrics } from '../metrics/support-metrics.js';
import { callApi } from '../testing/http.js';
import { ago, seedSessionEntry, seedUserText } from '../testing/seed.js';
import { CLINIC, SHOP, TEST_APPS, TEST_TOKENS, supportTest, textReply, type TestSupport } from '../testing/support.js';
import { testInbox } from '../testing/inbox.js';

const test = supportTest('replies');

const repliesPath = (openid: string, app: string = SHOP.name) => `/api/v1/apps/${app}/conversations/${openid}/replies`;

async function storedReplies(support: TestSupport, openid: string) {
  return support.prisma.customerReply.findMany({ where: { appId: SHOP.appId, openid }, orderBy: { id: 'asc' } });
}

/** The outbound jobs of a conversation's replies. */
async function jobsOf(support: TestSupport, openid: string) {
  const ids = (await storedReplies(support, openid)).map((reply) => reply.id.toString());
  const jobs = await support.outbound.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed']);
  return jobs.filter((job) => ids.includes(job.data.replyId));
}

describe('POST replies', () => {
  test('stores a reply within the window as queued, by the caller, and adds its job', async ({ support }) => {
    await seedUserText(support.prisma, { appId: SHOP.appId, openid: 'o_reply_ok', at: ago(5_000), text: 'Where is my order?' });
    const res = await support.call(repliesPath('o_reply_ok'), { json: textReply('It ships today.'), token: TEST_TOKENS[1].token });
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ id: expect.stringMatching(/^[1-9][0-9]*$/), status: 'queued' });

    const [stored] = await storedReplies(support, 'o_reply_ok');
    expect(stored).toMatchObject({ status: 'queued', msgType: 'text', sentBy: 'bot', body: textReply('It ships today.') });
    const job = await support.outbound.getJob(`reply-${res.json.id}`);
    expect(job?.data).toEqual({ v: 1, replyId: res.json.id, app: SHOP.name });
    expect(job?.opts.attempts).toBeGreaterThan(1);

    const view = await support.call(`/api/v1/replies/${res.json.id}`);
    expect(view.status).toBe(200);
    expect(view.json).toEqual({
      id: res.json.id,
      app: SHOP.name,
      appId: SHOP.appId,
      openid: 'o_reply_ok',
      status: 'queued',
      errcode: null,
      errmsg: null,
      rid: null,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      sentAt: null,
      failedAt: null,
      sentBy: 'bot',
      idempotencyKey: null,
      body: textReply('It ships today.'),
    });
  });

  test('makes one reply and one job of the same Idempotency-Key sent twice', async ({ support }) => {
    await seedUserText(support.prisma, { appId: SHOP.appId, openid: 'o_idem', at: ago(5_000), text: 'hello?' });
    const request = { json: textReply('Hello!'), headers: { 'idempotency-key': 'crm-msg-7781' } };
    const first = await support.call(repliesPath('o_idem'), request);
    const second = await support.call(repliesPath('o_idem'), request);
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.json).toEqual(first.json);
    expect(await storedReplies(support, 'o_idem')).toHaveLength(1);
    expect(await jobsOf(support, 'o_idem')).toHaveLength(1);
    // The repeat spent nothing: four of the five replies are left.
    const messages = await support.call(`/api/v1/apps/${SHOP.name}/conversations/o_idem/messages`);
    expect(messages.json.window).toMatchObject({ repliesLeft: 4, open: true });
  });

  test('refuses a key reused for another message with 422, storing nothing', async ({ support }) => {
    await seedUserText(support.prisma, { appId: SHOP.appId, openid: 'o_idem_reuse', at: ago(5_000), text: 'hi' });
    const headers = { 'idempotency-key': 'crm-msg-reused' };
    expect((await support.call(repliesPath('o_idem_reuse'), { json: textReply('First'), headers })).status).toBe(202);
    const other = await support.call(repliesPath('o_idem_reuse'), { json: textReply('Second'), headers });
    expect(other.status).toBe(422);
    expect(other.json).toMatchObject({ error: 'idempotency_key_reused' });
    expect(await storedReplies(support, 'o_idem_reuse')).toHaveLength(1);
  });

  test('refuses the sixth reply after one user message with 409 before anything is queued', async ({ support }) => {
    await seedUserText(support.prisma, { appId: SHOP.appId, openid: 'o_sixth', at: ago(5_000), text: 'many questions' });
    for (let i = 1; i <= 5; i += 1) {
      expect((await support.call(repliesPath('o_sixth'), { json: textReply(`answer ${i}`) })).status).toBe(202);
    }
    const sixth = await support.call(repliesPath('o_sixth'), { json: textReply('answer 6') });
    expect(sixth.status).toBe(409);
    expect(sixth.json).toEqual({ error: 'reply_quota_spent' });
    expect(await storedReplies(support, 'o_sixth')).toHaveLength(5);
    expect(await jobsOf(support, 'o_sixth')).toHaveLength(5);
    expect(fakeSends(support)).toBe(0);
  });

  test('refuses the third reply after only a session entry with 409', async ({ support }) => {
    await seedSessionEntry(support.prisma, { appId: SHOP.appId, openid: 'o_session', at: ago(2_000) });
    expect((await support.call(repliesPath('o_session'), { json: textReply('Hi, how can we help?') })).status).toBe(202);
    expect((await support.call(repliesPath('o_session'), { json: textReply('Are you there?') })).status).toBe(202);
    const third = await support.call(repliesPath('o_session'), { json: textReply('Hello?') });
    expect(third.status).toBe(409);
    expect(third.json).toEqual({ error: 'reply_quota_spent' });
    expect(await storedReplies(support, 'o_session')).toHaveLength(2);
    expect(await jobsOf(support, 'o_session')).toHaveLength(2);
  });

  test('refuses with reply_window_closed after the window ends, and for a user who never wrote', async ({ support }) => {
    await seedSessionEntry(support.prisma, { appId: SHOP.appId, openid: 'o_late', at: ago(2 * 60_000) });
    for (const openid of ['o_late', 'o_never']) {
      const res = await support.call(repliesPath(openid), { json: textReply('Sorry for the wait') });
      expect(res.status, openid).toBe(409);
      expect(res.json).toEqual({ error: 'reply_window_closed' });
      expect(await storedReplies(support, openid)).toHaveLength(0);
    }
  });

  test('answers 400 naming the field of a malformed body, and stores nothing', async ({ support }) => {
    await seedUserText(support.prisma, { appId: SHOP.appId, openid: 'o_bad_body', at: ago(5_000), text: 'hi' });
    const cases: [unknown, string][] = [
      [{ msgtype: 'text', text: { content: '' } }, 'text.content'],
      [{ msgtype: 'text', text: { content: 'x'.repeat(2049) } }, 'text.content'],
      [{ touser: 'o_someone_else', msgtype: 'text', text: { content: 'hi' } }, 'touser'],
      [{ msgtype: 'video', video: {} }, 'msgtype'],
      [{ msgtype: 'link', link: { title: 't', description: 'd', url: 'ftp://x', thumb_url: 'https://x/t.png' } }, 'link.url'],
    ];
    for (const [body, field] of cases) {
      const res = await support.call(repliesPath('o_bad_body'), { json: body });
      expect(res.status, field).toBe(400);
      expect(res.json).toMatchObject({ error: 'invalid_body', field });
    }
    const notJson = await support.call(repliesPath('o_bad_body'), { body: '{"msgtype":', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(notJson.json).toEqual({ error: 'invalid_json' });
    const form = await support.call(repliesPath('o_bad_body'), { body: 'msgtype=text', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    const huge = await support.call(repliesPath('o_bad_body'), { json: { msgtype: 'text', text: { content: 'x'.repeat(70_000) } } });
    expect(huge.status).toBe(413);
    const badKey = await support.call(repliesPath('o_bad_body'), { json: textReply('hi'), headers: { 'idempotency-key': 'has space' } });
    expect(badKey.status).toBe(400);
    expect(badKey.json).toMatchObject({ error: 'invalid_idempotency_key' });
    expect(await storedReplies(support, 'o_bad_body')).toHaveLength(0);
  });

  test('answers 404 for an unknown app, 409 for an inbound-only one, 400 for a bad openid', async ({ support }) => {
    const unknown = await support.call(repliesPath('o_x', 'nosuchapp'), { json: textReply('hi') });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ error: 'unknown_app' });
    const inboundOnly = await support.call(repliesPath('o_x', CLINIC.name), { json: textReply('hi') });
    expect(inboundOnly.status).toBe(409);
    expect(inboundOnly.json).toEqual({ error: 'app_inbound_only' });
    const badOpenid = await support.call(repliesPath('o%20x'), { json: textReply('hi') });
    expect(badOpenid.status).toBe(400);
    expect(badOpenid.json).toMatchObject({ error: 'invalid_path', field: 'openid' });
  });

  test('counts replies by outcome on /metrics', async ({ support }) => {
    const metrics = await support.call('/metrics');
    expect(metrics.status).toBe(200);
    expect(readMetric(metrics.text, 'wxcs_support_replies_total', { app: SHOP.name, outcome: 'reply_quota_spent' })).toBeGreaterThanOrEqual(1);
    expect(readMetric(metrics.text, 'wxcs_support_replies_total', { app: SHOP.name, outcome: 'queued' })).toBeGreaterThanOrEqual(1);
  });
});

describe('GET /replies/{id}', () => {
  test('answers 404 for an unknown id and for what cannot be an id', async ({ support }) => {
    for (const id of ['999999999', '0', 'abc', '1e3']) {
      const res = await support.call(`/api/v1/replies/${id}`);
      expect(res.status, id).toBe(404);
      expect(res.json).toEqual({ error: 'unknown_reply' });
    }
  });
});

describe('with Redis refusing the job', () => {
  test('stores the reply and still answers 202; the sweeper sends it', async ({ support }) => {
    await seedUserText(support.prisma, { appId: SHOP.appId, openid: 'o_no_redis', at: ago(5_000), text: 'hi' });
    // The app as startSupport builds it, its queue on a Redis that is not there.
    const deadRedis = createProducerRedis({ kind: 'single', url: `redis://127.0.0.1:${await freePort()}` }, { retryStrategy: () => null });
    deadRedis.on('error', () => undefined);
    const queue = openQueue(outboundQueue, { connection: deadRedis, prefix: support.prefix });
    queue.on('error', () => undefined);
    const logger = createLogger({ name: 'support', level: 'silent' });
    const registry = new Registry();
    const metrics = createSupportMetrics(registry, { count: async () => new Map(), timeoutMs: 1_000, logger });
    const app = createApp({
      apps: createSupportApps(TEST_APPS),
      prisma: support.prisma,
      enqueue: { queue, jobAttempts: 3, timeoutMs: 1_000, logger },
      wechat: { setTyping: async () => undefined, uploadImage: async () => ({ mediaId: 'm', createdAt: 0 }) },
      blobs: createPostgresStore(),
      tokens: TEST_TOKENS,
      inbox: testInbox(support.prisma, [SHOP.appId]),
      metrics,
      registry,
      logger,
      isShuttingDown: () => false,
      readinessChecks: [],
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as { port: number };
      const res = await callApi(`http://127.0.0.1:${port}`, repliesPath('o_no_redis'), { json: textReply('Stored anyway'), token: TEST_TOKENS[0].token });
      expect(res.status).toBe(202);
      expect(res.json).toMatchObject({ status: 'queued' });
      expect(await storedReplies(support, 'o_no_redis')).toHaveLength(1);
      expect(readMetric(await registry.metrics(), 'wxcs_support_enqueue_failures_total', { app: SHOP.name })).toBe(1);
    } finally {
      server.close();
      await queue.close().catch(() => undefined);
      deadRedis.disconnect();
    }
  });
});

/** Nothing in these tests sends: only the worker does. */
function fakeSends(support: TestSupport): number {
  return support.fake.sent(SHOP.appId).length;
}
