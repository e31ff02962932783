import { openQueue, outboundQueue } from '@wxcs/queue';
import { describe, expect } from 'vitest';
import { OUTBOUND_APPS, SENDING_APP, enqueueReply, newOpenid, outboundEnv, startFakeWechat, storeReply, waitForEnded } from './testing/outbound-test.js';
import { startTestWorker, type TestWorker } from './testing/test-worker.js';
import { integrationTest } from './testing/worker-test.js';

const test = integrationTest('outbound-replicas');
const APP_ID = SENDING_APP.appId;

describe('the access token', () => {
  test('two replicas and a later start fetch it once between them', async ({ database, redis, queues, onTestFinished }) => {
    const fake = await startFakeWechat();
    onTestFinished(() => fake.close());
    const outbound = openQueue(outboundQueue, { connection: redis, prefix: queues.prefix });
    onTestFinished(() => outbound.close());
    const workers: TestWorker[] = [];
    const start = async () => {
      const worker = await startTestWorker({ apps: OUTBOUND_APPS, env: outboundEnv(fake, 2_000), prefix: queues.prefix, databaseUrl: database.url });
      workers.push(worker);
      return worker;
    };
    onTestFinished(async () => {
      await Promise.all(workers.map((worker) => worker.stop()));
    });
    const sendReplies = async (count: number) => {
      const replies = [];
      for (let n = 0; n < count; n += 1) {
        const openid = newOpenid('replica');
        fake.userSentMessage(APP_ID, openid);
        replies.push(await storeReply(database.prisma, openid));
      }
      await Promise.all(replies.map((reply) => enqueueReply(outbound, reply)));
      return Promise.all(replies.map((reply) => waitForEnded(database.prisma, reply.id)));
    };

    await Promise.all([start(), start()]);
    // A slow first fetch: whichever replica asks second finds the lock taken and waits for the token.
    fake.failNext('/cgi-bin/stable_token', { delayMs: 300 });
    const first = await sendReplies(40);
    expect(first.every((reply) => reply.status === 'sent')).toBe(true);
    expect(fake.tokenFetches(APP_ID)).toEqual({ normal: 1, forced: 0 });

    await start();
    const later = await sendReplies(10);
    expect(later.every((reply) => reply.status === 'sent')).toBe(true);
    expect(fake.tokenFetches(APP_ID)).toEqual({ normal: 1, forced: 0 });
    expect(new Set(fake.sent(APP_ID).map((message) => message.accessToken))).toEqual(new Set([fake.currentToken(APP_ID)]));

    const sentBy = await Promise.all(workers.map((worker) => worker.metric('wxcs_worker_replies_total', { outcome: 'sent' })));
    expect(sentBy.reduce((sum, count) => sum + count, 0)).toBe(50);
    // Both replicas sent replies, so both needed the token.
    expect(sentBy.slice(0, 2).every((count) => count > 0)).toBe(true);
    const fetchedBy = await Promise.all(workers.map((worker) => worker.metric('wxcs_worker_wechat_token_fetches_total')));
    expect(fetchedBy.reduce((sum, count) => sum + count, 0)).toBe(1);
  });
});
