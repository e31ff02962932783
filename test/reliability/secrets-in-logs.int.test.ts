// Secrets: the whole pipeline (receiver, worker, dashboard, support API) at
// LOG_LEVEL=trace through good callbacks, forged and undecryptable ones, a
// Redis outage, a PostgreSQL outage, dashboard logins, and replies sent
// through a fake WeChat API that refuses a token once, and staff signing in
// to the inbox; no log line of any process may contain the token, the AES
// key, the dashboard password, the database password, the AppSecret, a
// support API token, an access token WeChat issued, a staff password (right
// or wrong), a session id or a CSRF token, or the S3 secret key the image
// archive signs with (nor the usual encodings of them).
import { randomBytes } from 'node:crypto';
import { describe, expect } from 'vitest';
import { createPrismaClient, findMediaArchive } from '@wxcs/db';
import { throwawayS3Env } from '@wxcs/media/testing';
import { saveStaffAccount } from '@wxcs/support/staff-accounts';
import { appCredentials } from '@wxcs/wechat';
import { SEND_PATH } from '@wxcs/wechat-api';
import { sampleMessage, simulateCallback } from '@wxcs/wechat/testing';
import { appDirForBreak } from './support/breaks.js';
import { genuine, query, send, sha1Sorted } from './support/hostile-requests.js';
import {
  freePort,
  queueCounts,
  runSignedLoad,
  sleep,
  startAppProcess,
  startFakeWechatApi,
  SMALL_JPEG,
  startSignedLoad,
  startThrowawayS3,
  waitFor,
  type AppProcess,
  type FakeWechatApi,
} from '@wxcs/testkit';
import { pipelineTest, type Pipeline } from './support/pipeline.js';
import { findLeaks, randomAlphanumeric, type Secret } from './support/secrets.js';

const identity = { token: randomAlphanumeric(32), encodingAesKey: randomAlphanumeric(43), appId: `wx${randomBytes(8).toString('hex')}` };
const databasePassword = randomAlphanumeric(24);
const dashboardUser = 'operator';
const dashboardPassword = randomAlphanumeric(20);
const appSecret = randomAlphanumeric(32);
const supportToken = randomAlphanumeric(40);
const staff = { name: 'wang.fang', password: randomAlphanumeric(24) };
const wrongStaffPassword = randomAlphanumeric(24);
const s3SecretAccessKey = randomAlphanumeric(40);
const production = { NODE_ENV: 'production' };
const aesKey = Buffer.from(`${identity.encodingAesKey}=`, 'base64');

const secrets: Secret[] = [
  { name: 'token', value: identity.token },
  { name: 'encodingAesKey', value: identity.encodingAesKey },
  { name: 'aesKey(hex)', value: aesKey.toString('hex') },
  { name: 'aesKey(base64)', value: aesKey.toString('base64').slice(0, 40) },
  { name: 'databasePassword', value: databasePassword },
  { name: 'dashboardPassword', value: dashboardPassword },
  { name: 'basicAuthHeader', value: Buffer.from(`${dashboardUser}:${dashboardPassword}`).toString('base64') },
  { name: 'appSecret', value: appSecret },
  { name: 'supportToken', value: supportToken },
  { name: 'staffPassword', value: staff.password },
  { name: 'wrongStaffPassword', value: wrongStaffPassword },
  { name: 's3SecretAccessKey', value: s3SecretAccessKey },
];

/**
 * The image archive's S3 store: a real S3-protocol server that knows only its
 * own key, so every request the worker signs with our secret is refused, and
 * the archive's error and retry paths log.
 */
let mediaEnv: Record<string, string>;

/** WeChat's side of the replies; started with the pipeline, whose workers call it. */
let wechat: FakeWechatApi;

const test = pipelineTest(async (cleanup) => {
  // Break: a receiver that logs its configuration as a JSON string at debug level (key-based redaction cannot see inside a string).
  const receiverDir = await appDirForBreak(cleanup, 'receiver', 'log-config', [
    { file: 'src/main.ts', find: 'const { logger } = runtime;', replace: "const { logger } = runtime;\n  logger.debug({ config: JSON.stringify(config) }, 'configuration');" },
  ]);
  wechat = await startFakeWechatApi({ apps: [{ appId: identity.appId, secret: appSecret }] });
  cleanup.defer('fake WeChat API', () => wechat.close());
  const s3 = await startThrowawayS3({ bucket: 'wxcs-secrets' });
  cleanup.defer('S3 server', () => s3.stop());
  mediaEnv = { ...throwawayS3Env(s3), MEDIA_S3_ACCESS_KEY_ID: 'AKIDwxcsSecretsTest', MEDIA_S3_SECRET_ACCESS_KEY: s3SecretAccessKey };
  return {
    label: 'secrets',
    identity,
    postgresPassword: databasePassword,
    logLevel: 'trace',
    receiverEnv: production,
    workerEnv: { ...production, WECHAT_APP_SECRET: appSecret, WECHAT_API_BASE_URL: wechat.url, ...mediaEnv },
    receiverDir,
  };
}).extend('dashboard', { scope: 'file' }, async ({ pipeline, cleanup }) => {
  const dashboard = startAppProcess({
    app: 'dashboard',
    port: await freePort(),
    env: {
      ...production,
      LOG_LEVEL: 'trace',
      REDIS_URL: pipeline.redis.url,
      QUEUE_PREFIX: pipeline.prefix,
      DASHBOARD_USER: dashboardUser,
      DASHBOARD_PASSWORD: dashboardPassword,
    },
  });
  cleanup.defer('dashboard', () => dashboard.stop());
  await dashboard.waitReady();
  return dashboard;
}).extend('support', { scope: 'file' }, async ({ pipeline, cleanup }) => {
  const support = startAppProcess({
    app: 'support',
    port: await freePort(),
    env: {
      ...production,
      LOG_LEVEL: 'trace',
      REDIS_URL: pipeline.redis.url,
      QUEUE_PREFIX: pipeline.prefix,
      DATABASE_URL: pipeline.databaseUrl,
      WECHAT_TOKEN: identity.token,
      WECHAT_ENCODING_AES_KEY: identity.encodingAesKey,
      WECHAT_APP_ID: identity.appId,
      WECHAT_APP_SECRET: appSecret,
      WECHAT_API_BASE_URL: wechat.url,
      ...mediaEnv,
      SUPPORT_API_TOKENS: JSON.stringify([{ name: 'helpdesk', token: supportToken }]),
    },
  });
  cleanup.defer('support API', () => support.stop());
  await support.waitReady();
  return support;
});

/**
 * Replies to users who wrote, through the support API, while WeChat stops
 * taking the cached token once and refuses one send for its window: the worker's and the support
 * API's token, send and refusal paths all log. Returns the access tokens
 * WeChat issued, which are secrets too.
 */
async function replyTraffic(support: AppProcess): Promise<Secret[]> {
  const bearer = { authorization: `Bearer ${supportToken}`, 'content-type': 'application/json' };
  const api = `${support.url}/api/v1/apps/default`;
  const listed = await waitFor('conversations to answer', async () => {
    const page = (await (await fetch(`${api}/conversations?limit=3`, { headers: bearer })).json()) as { conversations: { openid: string }[] };
    return page.conversations.length === 3 ? page.conversations : undefined;
  }, { timeoutMs: 30_000 });
  const issued = new Set<string>();
  const replyIds: string[] = [];
  for (const [index, { openid }] of listed.entries()) {
    wechat.userSentMessage(identity.appId, openid);
    // As if another deployment force-refreshed: the cached token is refused (40001) and replaced.
    if (index === 1) wechat.invalidateToken(identity.appId);
    if (index === 2) wechat.failNext(SEND_PATH, { errcode: 45015, errmsg: 'response out of time limit or subscription is canceled rid: 6752a1b3-1c2d3e4f-5a6b7c8e' });
    const posted = await fetch(`${api}/conversations/${openid}/replies`, {
      method: 'POST',
      headers: { ...bearer, 'idempotency-key': `secrets-${index}` },
      body: JSON.stringify({ msgtype: 'text', text: { content: `reply ${index}` } }),
    });
    expect(posted.status, await posted.clone().text()).toBe(202);
    replyIds.push(((await posted.json()) as { id: string }).id);
    await fetch(`${api}/conversations/${openid}/typing`, { method: 'POST', headers: bearer, body: JSON.stringify({ typing: true }) });
    await fetch(`${api}/conversations`, { headers: { authorization: `Bearer ${supportToken}x` } });
    await waitFor(`reply ${index} ended`, async () => {
      const reply = (await (await fetch(`${support.url}/api/v1/replies/${replyIds[index]}`, { headers: bearer })).json()) as { status: string };
      return reply.status !== 'queued';
    }, { timeoutMs: 30_000 });
    const current = wechat.currentToken(identity.appId);
    if (current !== undefined) issued.add(current);
  }
  expect(wechat.sent(identity.appId)).toHaveLength(2);
  expect(issued.size, 'the refused token was replaced').toBeGreaterThanOrEqual(2);
  return [...issued].map((value, index) => ({ name: `accessToken#${index}`, value }));
}

/**
 * A staff member signs in to the inbox (after a wrong password), reads,
 * answers with and without the CSRF token, and signs out. Returns the
 * session id and CSRF token the support API issued, which are secrets too.
 */
async function staffTraffic(support: AppProcess, databaseUrl: string): Promise<Secret[]> {
  const prisma = createPrismaClient({ databaseUrl, poolSize: 1 });
  try {
    await saveStaffAccount(prisma, { ...staff, now: new Date() });
  } finally {
    await prisma.$disconnect();
  }
  const signIn = (password: string) =>
    fetch(`${support.url}/auth/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: staff.name, password }) });
  expect((await signIn(wrongStaffPassword)).status).toBe(401);
  const signedIn = await signIn(staff.password);
  expect(signedIn.status).toBe(200);
  const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
  const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const sessionId = cookie.slice(cookie.indexOf('=') + 1);
  const api = `${support.url}/api/v1/apps/default`;
  const page = (await (await fetch(`${api}/conversations?limit=1`, { headers: { cookie } })).json()) as { conversations: { openid: string }[] };
  const openid = page.conversations[0]?.openid ?? 'o_none';
  const reply = { method: 'POST', body: JSON.stringify({ msgtype: 'text', text: { content: 'from the inbox' } }) };
  expect((await fetch(`${api}/conversations/${openid}/replies`, { ...reply, headers: { cookie, 'content-type': 'application/json' } })).status).toBe(403);
  await fetch(`${api}/conversations/${openid}/replies`, { ...reply, headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrfToken } });
  await fetch(`${api}/conversations/${openid}/replies`, { ...reply, headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': `${csrfToken}x`, origin: 'http://evil.example' } });
  expect((await fetch(`${support.url}/auth/signout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } })).status).toBe(204);
  return [
    { name: 'sessionId', value: sessionId },
    { name: 'csrfToken', value: csrfToken },
  ];
}

async function dashboardTraffic(dashboard: AppProcess): Promise<void> {
  const auth = (password: string) => ({ authorization: `Basic ${Buffer.from(`${dashboardUser}:${password}`).toString('base64')}` });
  await fetch(`${dashboard.url}/`, { headers: auth(`${dashboardPassword}x`) });
  await fetch(`${dashboard.url}/`);
  await fetch(`${dashboard.url}/`, { headers: auth(dashboardPassword) });
  await fetch(`${dashboard.url}/dead-letters`, { headers: auth(dashboardPassword) });
  await fetch(`${dashboard.url}/dead-letters/replay-all`, { method: 'POST', headers: { ...auth(dashboardPassword), origin: 'http://evil.example' } });
}

async function badCallbacks(pipeline: Pipeline): Promise<void> {
  const app = pipeline.credentials;
  const base = pipeline.receiver().url;
  const good = genuine(app);
  await send(base, { search: query({ ...good.query, msg_signature: '1'.repeat(40) }), body: good.body });
  await send(base, { body: good.body });
  await send(base, { path: '/wechat/nope', search: query(good.query), body: good.body });
  // Signed correctly but encrypted for another app id, and an Encrypt that is not ciphertext at all:
  // the receiver queues both, the worker fails them and dead-letters them (and logs why).
  const foreign = simulateCallback({ app: { ...app, appId: 'wx0000000000foreign' }, message: 'text', format: 'xml', mode: 'safe' });
  await send(base, { search: query(foreign.query), body: foreign.body, headers: { 'content-type': 'text/xml' } });
  const junk = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
  const timestamp = String(Math.floor(Date.now() / 1000));
  await send(base, {
    search: query({
      signature: sha1Sorted([app.token, timestamp, '2']),
      timestamp,
      nonce: '2',
      encrypt_type: 'aes',
      msg_signature: sha1Sorted([app.token, timestamp, '2', junk]),
    }),
    body: JSON.stringify({ ToUserName: 'gh_x', Encrypt: junk }),
  });
}

/** A photo the user sends, which the worker fetches and tries to keep in S3: refused, retried, logged. */
async function imageTraffic(pipeline: Pipeline, support: AppProcess): Promise<void> {
  const mediaId = wechat.addUserMedia(identity.appId, { bytes: SMALL_JPEG, contentType: 'image/jpeg' });
  const photo = simulateCallback({ app: pipeline.credentials, message: { ...sampleMessage('image'), MediaId: mediaId }, format: 'json', mode: 'safe' });
  expect((await send(pipeline.receiver().url, { search: query(photo.query), body: photo.body, headers: { 'content-type': 'application/json' } })).status).toBe(200);
  const prisma = createPrismaClient({ databaseUrl: pipeline.databaseUrl, poolSize: 1 });
  try {
    await waitFor('the archive to be tried and refused by S3 twice', async () => ((await findMediaArchive(prisma, { appId: identity.appId, mediaId }))?.attempts ?? 0) >= 2, {
      timeoutMs: 30_000,
    });
  } finally {
    await prisma.$disconnect();
  }
  const served = await fetch(`${support.url}/api/v1/apps/default/media/${mediaId}`, { headers: { authorization: `Bearer ${supportToken}` } });
  expect(served.status).toBe(404);
}

describe('secrets never reach the logs', () => {
  test('not at trace level, through good and bad callbacks, outages, dashboard logins and replies', async ({ pipeline, dashboard, support }) => {
    const credentials = appCredentials(identity);
    expect(credentials.token).toBe(pipeline.credentials.token);
    await runSignedLoad({ url: pipeline.callbackUrl, app: credentials, ratePerSec: 100, total: 200, seed: 6 });
    await badCallbacks(pipeline);
    await dashboardTraffic(dashboard);
    const accessTokens = await replyTraffic(support);
    const staffSecrets = await staffTraffic(support, pipeline.databaseUrl);
    await imageTraffic(pipeline, support);

    const during = startSignedLoad({ url: pipeline.callbackUrl, app: credentials, ratePerSec: 100, total: 600, seed: 7 });
    await sleep(1_000);
    await pipeline.redis.stop();
    await sleep(3_000);
    await pipeline.redis.start();
    await pipeline.postgres!.stop();
    await sleep(3_000);
    await pipeline.postgres!.start();
    const load = await during.done;
    await pipeline.waitSettled(load, load.distinctAcknowledged, 60_000);
    // The foreign-appid and the junk callback went through the worker's failure path (and its logs).
    await waitFor('dead letters written', async () => (await queueCounts(pipeline.redis.url, pipeline.prefix)).deadLetters >= 2, { timeoutMs: 30_000 });
    await dashboardTraffic(dashboard);

    for (const child of [...pipeline.allProcesses(), dashboard, support]) await child.stop('SIGTERM');
    const lines = [...pipeline.allProcesses(), dashboard, support].flatMap((child) => child.lines().map((line) => ({ source: child.app, line })));
    const leaks = findLeaks([...secrets, ...accessTokens, ...staffSecrets], lines);
    const debugLines = lines.filter(({ line }) => /"level":"(debug|trace)"/.test(line)).length;
    process.stdout.write(
      `[reliability] secrets: logLines=${lines.length} debugOrTraceLines=${debugLines} secretsChecked=${secrets.length + accessTokens.length + staffSecrets.length} leaks=${leaks.length}\n`,
    );

    expect(debugLines, 'the apps really logged at debug/trace level').toBeGreaterThan(0);
    for (const app of ['receiver', 'worker', 'dashboard', 'support']) {
      expect(lines.filter(({ source }) => source === app).length, `${app} logged`).toBeGreaterThan(0);
    }
    expect(lines.some(({ line }) => /redis/i.test(line) && /unavailable|ECONNREFUSED|spool/i.test(line)), 'the Redis outage was logged').toBe(true);
    expect(lines.some(({ source, line }) => source === 'worker' && line.includes('archive attempt failed')), 'the S3 refusals were logged').toBe(true);
    expect(leaks).toEqual([]);
  });
});
