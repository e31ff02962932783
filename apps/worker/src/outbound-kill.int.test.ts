import { findReply } from '@wxcs/db';
import { openQueue, outboundQueue } from '@wxcs/queue';
import { waitFor, type AppProcess } from '@wxcs/testkit';
import { describe, expect } from 'vitest';
import { OUTBOUND_APPS, SENDING_APP, SEND_PATH, enqueueReply, newOpenid, outboundEnv, startFakeWechat, storeReply, waitForEnded } from './testing/outbound-test.js';
import { spawnWorker } from './testing/worker-process.js';
import { integrationTest } from './testing/worker-test.js';

const test = integrationTest('outbound-kill');
const APP_ID = SENDING_APP.appId;

describe('a worker SIGKILLed mid-send', () => {
  test('no reply is sent twice: each ends failed as outcome unknown once its claim has expired', async ({ database, redis, queues, onTestFinished }) => {
    const fake = await startFakeWechat();
    onTestFinished(() => fake.close());
    const outbound = openQueue(outboundQueue, { connection: redis, prefix: queues.prefix });
    onTestFinished(() => outbound.close());
    const spawned: AppProcess[] = [];
    onTestFinished(async () => {
      for (const worker of spawned) await worker.kill();
    });
    // A 1 s timeout: the kill comes long before the worker would give up by itself.
    const start = async () => {
      const worker = await spawnWorker({ apps: OUTBOUND_APPS, env: outboundEnv(fake, 1_000), prefix: queues.prefix, databaseUrl: database.url });
      spawned.push(worker);
      return worker;
    };

    const users = [newOpenid('first'), newOpenid('second')];
    for (const openid of users) fake.userSentMessage(APP_ID, openid);
    // The first send to arrive WeChat takes and answers too late; the second it never takes nor
    // answers. The two jobs run concurrently, so either reply may be the one WeChat took.
    fake.failNext(SEND_PATH, { delayMs: 120_000 });
    fake.failNext(SEND_PATH, { hang: true });
    const doomed = await start();
    const replies = [await storeReply(database.prisma, users[0]!), await storeReply(database.prisma, users[1]!)];
    for (const reply of replies) await enqueueReply(outbound, reply);
    await waitFor('both sends to reach WeChat', () => fake.calls(SEND_PATH) === 2, { everyMs: 5 });
    expect((await doomed.kill()).signal).toBe('SIGKILL');
    for (const reply of replies) expect(await findReply(database.prisma, reply.id)).toMatchObject({ status: 'queued', sendingSince: expect.any(Date) as Date });

    const rescuer = await start();
    const ended = await Promise.all(replies.map((reply) => waitForEnded(database.prisma, reply.id, 45_000)));
    for (const reply of ended) {
      expect(reply).toMatchObject({ status: 'failed', errcode: null, sentAt: null });
      expect(reply.errmsg).toMatch(/^outcome_unknown: a send started at .* never recorded WeChat's answer/);
    }
    // What WeChat took it has once; what it never took, never: at most one send per reply.
    const taken = fake.sent(APP_ID).map((message) => message.touser);
    expect(taken).toHaveLength(1);
    expect(users).toContain(taken[0]);
    expect(fake.calls(SEND_PATH)).toBe(2);
    // The rescuer found the claims young and waited them out instead of deciding at once.
    const log = rescuer.lines().join('\n');
    expect(log).toContain('job stalled, back to wait');
    expect(log).toContain('another attempt is sending this reply');
  }, 90_000);
});
