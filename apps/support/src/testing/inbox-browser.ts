import { fileURLToPath } from 'node:url';
import { createProducerRedis, inboundQueue, openQueue, type InboundCallback } from '@wxcs/queue';
import { TEST_REDIS_URL } from '@wxcs/queue/testing';
import { freePort, makeTempDir, startAppProcess, type AppProcess } from '@wxcs/testkit';
import { appCredentials, type WechatFields } from '@wxcs/wechat';
import { simulateCallback } from '@wxcs/wechat/testing';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { TEST_APPS } from './support.js';
import type { TestSupport } from './support.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Debian's chromium, as the dashboard's browser test runs it: no downloaded browser, nothing from the network.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

/** The inbox built from the sources under test by the same vite config as `npm run build`, into a temp dir. */
export async function buildInbox(): Promise<{ webRoot: string; remove: () => Promise<void> }> {
  const dir = await makeTempDir('inbox-web');
  await build({ configFile: fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url)), logLevel: 'error', build: { outDir: dir.path, emptyOutDir: true } });
  return { webRoot: dir.path, remove: dir.remove };
}

/** The real worker app as a process (as `npm start` runs it), storing what the inbound queue brings and sending replies to the fake. */
export async function startInboxWorker(support: TestSupport, databaseUrl: string): Promise<AppProcess> {
  const worker = startAppProcess({
    app: 'worker',
    port: await freePort(),
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: support.prefix,
      DATABASE_URL: databaseUrl,
      WECHAT_APPS: JSON.stringify(TEST_APPS),
      WECHAT_API_BASE_URL: support.fake.url,
      WECHAT_API_TIMEOUT_MS: '2000',
    },
  });
  await worker.waitReady(30_000);
  return worker;
}

let sequence = 0;

/**
 * Delivers `fields` from `openid` as the receiver queues a callback WeChat
 * signed and encrypted (JSON, safe mode) for the app `shop`.
 */
export async function deliverCallback(support: TestSupport, openid: string, fields: WechatFields): Promise<void> {
  sequence += 1;
  const app = TEST_APPS[0];
  if (app === undefined) throw new Error('no test app');
  const now = Math.floor(Date.now() / 1000);
  const signed = simulateCallback({
    app: appCredentials(app),
    message: { ToUserName: 'gh_support_e2e', FromUserName: openid, CreateTime: String(now), ...fields },
    format: 'json',
    mode: 'safe',
    timestamp: String(now),
  });
  const callback: InboundCallback = {
    v: 1,
    callbackId: `inbox-e2e-${process.pid}-${sequence}`,
    app: app.name,
    receivedAt: new Date().toISOString(),
    body: signed.body,
    contentType: signed.contentType,
    query: signed.query,
  };
  const redis = createProducerRedis({ kind: 'single', url: TEST_REDIS_URL });
  await redis.connect();
  const queue = openQueue(inboundQueue, { connection: redis, prefix: support.prefix });
  // WeChat's side knows the user wrote: its own window for replies opens as ours does.
  if (fields.MsgType === 'event') support.fake.userEnteredSession(app.appId, openid);
  else support.fake.userSentMessage(app.appId, openid);
  try {
    await queue.add(inboundQueue.jobName, callback, { ...inboundQueue.jobOptions({ attempts: 3 }), jobId: inboundQueue.jobId(callback) });
  } finally {
    await queue.close();
    redis.disconnect();
  }
}
