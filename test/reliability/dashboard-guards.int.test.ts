// Dashboard, black box against the running process: nothing but the health
// probes without credentials, and no state change from a cross-site form post
// even when the browser attaches valid credentials.
import { addDeadLetter, createProducerRedis, deadLetterQueue, inboundQueue, openQueue, type InboundCallback } from '@wxcs/queue';
import { describe, expect } from 'vitest';
import { appDirForBreak } from './support/breaks.js';
import { freePort, queueCounts, startAppProcess, startThrowawayRedis } from '@wxcs/testkit';
import { testWithCleanup } from '@wxcs/testkit/fixtures';
import { randomAlphanumeric } from './support/secrets.js';

const user = 'operator';
const password = randomAlphanumeric(20);
const prefix = 'rel-dashboard';

const basic = (secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

async function seedDeadLetter(redisUrl: string): Promise<void> {
  const connection = createProducerRedis({ kind: 'single', url: redisUrl });
  await connection.connect();
  const deadLetters = openQueue(deadLetterQueue, { connection, prefix });
  const now = new Date().toISOString();
  const callback: InboundCallback = { v: 1, callbackId: 'cb-1', app: 'default', receivedAt: now, body: '{}', contentType: null, query: {} };
  await addDeadLetter(deadLetters, {
    v: 2,
    origin: inboundQueue.name,
    payload: callback,
    reason: 'seeded',
    code: 'seeded',
    kind: 'permanent',
    errorName: 'Seeded',
    attemptsMade: 1,
    sourceJobId: 'job-1',
    firstAttemptAt: now,
    failedAt: now,
  });
  await deadLetters.close();
  connection.disconnect();
}

const test = testWithCleanup
  .extend('redis', { scope: 'file' }, async ({ cleanup }) => {
    const redis = await startThrowawayRedis();
    cleanup.defer('redis', redis.dispose);
    await seedDeadLetter(redis.url);
    return redis;
  })
  .extend('dashboard', { scope: 'file' }, async ({ cleanup, redis }) => {
    // Break: a dashboard without its basic-auth and cross-site guards.
    const appDir = await appDirForBreak(cleanup, 'dashboard', 'no-dashboard-guards', [
      { file: 'src/app.ts', find: '  app.use(\n    requireBasicAuth({', replace: '  if (false) app.use(\n    requireBasicAuth({' },
      { file: 'src/app.ts', find: '  app.use(rejectCrossSiteWrites(', replace: '  if (false) app.use(rejectCrossSiteWrites(' },
    ]);
    const dashboard = startAppProcess({
      app: 'dashboard',
      port: await freePort(),
      appDir,
      env: { NODE_ENV: 'production', LOG_LEVEL: 'warn', REDIS_URL: redis.url, QUEUE_PREFIX: prefix, DASHBOARD_USER: user, DASHBOARD_PASSWORD: password },
    });
    cleanup.defer('dashboard', () => dashboard.stop());
    await dashboard.waitReady();
    return dashboard;
  });

describe('dashboard guards (running process)', () => {
  test('serves nothing but the health probes without valid credentials', async ({ dashboard }) => {
    const statuses: Record<string, number> = {};
    for (const path of ['/', '/dead-letters', '/api/queues', '/static/js/main.js', '/queue/wechat-inbound']) {
      statuses[`none ${path}`] = (await fetch(`${dashboard.url}${path}`, { redirect: 'manual' })).status;
      statuses[`wrong ${path}`] = (await fetch(`${dashboard.url}${path}`, { headers: { authorization: basic(`${password}x`) }, redirect: 'manual' })).status;
    }
    statuses['post none'] = (await fetch(`${dashboard.url}/dead-letters/replay-all`, { method: 'POST', redirect: 'manual' })).status;
    expect(Object.entries(statuses).filter(([, status]) => status !== 401)).toEqual([]);
    const challenge = await fetch(`${dashboard.url}/`);
    expect(challenge.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect((await fetch(`${dashboard.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${dashboard.url}/`, { headers: { authorization: basic(password) } })).status).toBe(200);
  });

  test('refuses cross-site form posts that carry valid credentials, and changes nothing', async ({ redis, dashboard }) => {
    const post = (headers: Record<string, string>) =>
      fetch(`${dashboard.url}/dead-letters/replay-all`, {
        method: 'POST',
        redirect: 'manual',
        headers: { authorization: basic(password), 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: '',
      });
    const refused = {
      secFetchSite: (await post({ 'sec-fetch-site': 'cross-site' })).status,
      sameSiteOtherOrigin: (await post({ 'sec-fetch-site': 'same-site' })).status,
      origin: (await post({ origin: 'http://evil.example' })).status,
      nullOrigin: (await post({ origin: 'null' })).status,
      referer: (await post({ referer: 'http://evil.example/form.html' })).status,
    };
    expect(refused).toEqual({ secFetchSite: 403, sameSiteOtherOrigin: 403, origin: 403, nullOrigin: 403, referer: 403 });
    expect(await queueCounts(redis.url, prefix)).toMatchObject({ deadLetters: 1, waiting: 0 });

    // Positive control: the operator's own same-origin post does replay.
    const own = await post({ 'sec-fetch-site': 'same-origin', origin: dashboard.url });
    expect(own.status).toBeLessThan(400);
    expect(await queueCounts(redis.url, prefix)).toMatchObject({ deadLetters: 0, waiting: 1 });
  });

  test('offers no way to empty, clean or obliterate the inbound queue, even to the operator', async ({ redis, dashboard }) => {
    const connection = createProducerRedis({ kind: 'single', url: redis.url });
    await connection.connect();
    const inbound = openQueue(inboundQueue, { connection, prefix });
    const now = new Date().toISOString();
    const job = await inbound.add('callback', { v: 1, callbackId: 'acked-1', app: 'default', receivedAt: now, body: '{}', contentType: null, query: {} });
    await inbound.close();
    connection.disconnect();
    const before = await queueCounts(redis.url, prefix);
    const put = async (path: string) =>
      (await fetch(`${dashboard.url}/api/queues/wechat-inbound/${path}`, { method: 'PUT', headers: { authorization: basic(password), origin: dashboard.url } }))
        .status;
    const statuses = {
      empty: await put('empty'),
      obliterate: await put('obliterate'),
      clean: await put('clean/waiting'),
      cleanJob: await put(`${job.id ?? ''}/clean`),
      pause: await put('pause'),
    };
    expect(statuses).toEqual({ empty: 405, obliterate: 405, clean: 405, cleanJob: 405, pause: 405 });
    expect(await queueCounts(redis.url, prefix)).toEqual(before);
    expect(before.waiting).toBeGreaterThanOrEqual(1);
  });
});
