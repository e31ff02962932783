import type { WechatAppConfig } from '@wxcs/config';
import { findReply, type CustomerReply, type Queryable } from '@wxcs/db';
import { insertQueuedReply } from '@wxcs/db/testing';
import { openQueue, outboundQueue, type OutboundQueue, type OutboundReply } from '@wxcs/queue';
import { startFakeWechatApi, waitFor, type FakeWechatApi } from '@wxcs/testkit';
import { TEST_APP } from './callbacks.js';
import { integrationTest } from './worker-test.js';
import { startTestWorker, type TestWorkerOptions } from './test-worker.js';

export const SEND_PATH = '/cgi-bin/message/custom/send';

/** TEST_APP with an AppSecret: the app replies are sent for. */
export const SENDING_APP: WechatAppConfig = { ...TEST_APP, appSecret: 'wxcsTestAppSecret0123456789abcde' };

/** An app configured without an AppSecret: inbound only. */
export const INBOUND_ONLY_APP: WechatAppConfig = { ...TEST_APP, name: 'outlet', appId: 'wx0f1e2d3c4b5a6978' };

/** The fake WeChat API knows SENDING_APP's credentials. */
export function startFakeWechat(): Promise<FakeWechatApi> {
  return startFakeWechatApi({ apps: [{ appId: SENDING_APP.appId, secret: SENDING_APP.appSecret ?? '' }] });
}

/** The worker's variables for the outbound side: the fake's URL and a short WeChat timeout (its claim then expires in seconds). */
export function outboundEnv(fake: FakeWechatApi, timeoutMs = 500): Record<string, string> {
  return { WECHAT_API_BASE_URL: fake.url, WECHAT_API_TIMEOUT_MS: String(timeoutMs) };
}

export const OUTBOUND_APPS: readonly WechatAppConfig[] = [SENDING_APP, INBOUND_ONLY_APP];

let sequence = 0;

/** An openid of its own per call, so tests sharing one fake and one database do not see each other's replies. */
export function newOpenid(label: string): string {
  sequence += 1;
  return `o-${label}-${sequence}-${Date.now().toString(36)}`;
}

/** A queued text reply stored as the support API stores it (no window check, no job). */
export function storeReply(prisma: Queryable, openid: string, overrides: Partial<Parameters<typeof insertQueuedReply>[1]> = {}): Promise<CustomerReply> {
  return insertQueuedReply(prisma, { appId: SENDING_APP.appId, openid, body: { msgtype: 'text', text: { content: `hello ${openid}` } }, ...overrides });
}

/** Adds the reply's job as the support API does; `jobId` overrides the reply's own (a replay's id). */
export async function enqueueReply(queue: OutboundQueue, reply: CustomerReply, options: { app?: string; attempts?: number; jobId?: string } = {}) {
  const payload: OutboundReply = { v: 1, replyId: reply.id, app: options.app ?? SENDING_APP.name };
  return queue.add(outboundQueue.jobName, payload, { ...outboundQueue.jobOptions({ attempts: options.attempts ?? 5 }), jobId: options.jobId ?? outboundQueue.jobId(payload) });
}

/** Waits until the reply is no longer queued, and returns it. */
export function waitForEnded(prisma: Queryable, id: string, timeoutMs = 20_000): Promise<CustomerReply> {
  return waitFor(
    `reply ${id} to end`,
    async () => {
      const reply = await findReply(prisma, id);
      return reply?.status === 'queued' ? undefined : reply;
    },
    { timeoutMs },
  );
}

/** Waits for the job to complete and returns its result. */
export async function completedResult(queue: OutboundQueue, jobId: string, timeoutMs = 20_000): Promise<unknown> {
  return waitFor(
    `job ${jobId} to complete`,
    async () => {
      // The state first: a job read before it completed carries no return value.
      if ((await queue.getJobState(jobId)) !== 'completed') return undefined;
      return (await queue.getJob(jobId))?.returnvalue;
    },
    { timeoutMs },
  );
}

/**
 * integrationTest's fixtures and, per file: `fake`, the fake WeChat API;
 * `outbound`, a handle on the outbound queue under the file's prefix; and
 * `worker`, the real startWorker configured with OUTBOUND_APPS against the
 * fake, started before the first test and shut down after the last.
 */
export function outboundTest(label: string, options: Omit<TestWorkerOptions, 'prefix' | 'databaseUrl'> = {}) {
  return (
    integrationTest(label)
      // eslint-disable-next-line no-empty-pattern
      .extend('fake', { scope: 'file' }, async ({}, { onCleanup }) => {
        const fake = await startFakeWechat();
        onCleanup(() => fake.close());
        return fake;
      })
      .extend('outbound', { scope: 'file' }, ({ redis, queues }, { onCleanup }) => {
        const queue = openQueue(outboundQueue, { connection: redis, prefix: queues.prefix });
        onCleanup(() => queue.close());
        return queue;
      })
      .extend('worker', { scope: 'file', auto: true }, async ({ queues, database, fake }, { onCleanup }) => {
        const worker = await startTestWorker({
          apps: OUTBOUND_APPS,
          ...options,
          env: { ...outboundEnv(fake), ...options.env },
          prefix: queues.prefix,
          databaseUrl: database.url,
        });
        onCleanup(async () => {
          await worker.stop();
          if (worker.exitCodes.join() !== '0') throw new Error(`worker shutdown exited ${worker.exitCodes.join(', ')}`);
        });
        return worker;
      })
  );
}
