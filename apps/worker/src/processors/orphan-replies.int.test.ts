import { claimReplySend, markReplyHeld } from '@wxcs/db';
import { openQueue, outboundQueue } from '@wxcs/queue';
import { describe, expect } from 'vitest';
import {
  INBOUND_ONLY_APP,
  OUTBOUND_APPS,
  SENDING_APP,
  enqueueReply,
  newOpenid,
  outboundEnv,
  startFakeWechat,
  storeReply,
  waitForEnded,
} from '../testing/outbound-test.js';
import { startTestWorker } from '../testing/test-worker.js';
import { integrationTest } from '../testing/worker-test.js';
import { addMissingReplyJobs } from './orphan-replies.js';
import { createSendingApps } from './sending-apps.js';

const test = integrationTest('orphan-replies').extend('outbound', { scope: 'file' }, ({ redis, queues }, { onCleanup }) => {
  const queue = openQueue(outboundQueue, { connection: redis, prefix: queues.prefix });
  onCleanup(() => queue.close());
  return queue;
});

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

describe('addMissingReplyJobs', () => {
  test('adds the job of a queued reply that has waited a minute without one, once', async ({ database, outbound }) => {
    const { prisma } = database;
    const orphan = await storeReply(prisma, newOpenid('orphan'), { createdAt: minutesAgo(2) });
    await storeReply(prisma, newOpenid('young'), { createdAt: new Date() });
    await storeReply(prisma, newOpenid('ancient'), { createdAt: minutesAgo(8 * 24 * 60) });
    await storeReply(prisma, newOpenid('inbound-only'), { appId: INBOUND_ONLY_APP.appId, createdAt: minutesAgo(2) });
    const withJob = await storeReply(prisma, newOpenid('with-job'), { createdAt: minutesAgo(2) });
    await enqueueReply(outbound, withJob);
    const claimed = await storeReply(prisma, newOpenid('claimed'), { createdAt: minutesAgo(2) });
    await claimReplySend(prisma, claimed.id, minutesAgo(1));
    const held = await storeReply(prisma, newOpenid('held'), { createdAt: minutesAgo(2) });
    await markReplyHeld(prisma, { id: held.id, errcode: -1, errmsg: 'system error', rid: null });

    const deps = { prisma, apps: createSendingApps(OUTBOUND_APPS), queue: outbound, policy: { attempts: 7 } };
    expect(await addMissingReplyJobs(deps)).toBe(1);
    const job = await outbound.getJob(`reply-${orphan.id}`);
    expect(job?.data).toEqual({ v: 1, replyId: orphan.id, app: SENDING_APP.name });
    expect(job?.opts).toMatchObject({ attempts: 7, backoff: { type: 'exponential-jitter' } });
    expect(await outbound.count()).toBe(2);

    expect(await addMissingReplyJobs(deps)).toBe(0);
    expect(await outbound.count()).toBe(2);
  });

  test('a worker sends a reply whose job was never added', async ({ database, queues, onTestFinished }) => {
    const fake = await startFakeWechat();
    onTestFinished(() => fake.close());
    const openid = newOpenid('never-enqueued');
    fake.userSentMessage(SENDING_APP.appId, openid);
    const reply = await storeReply(database.prisma, openid, { createdAt: minutesAgo(2) });

    // The sweep runs when the worker starts, then every minute.
    const worker = await startTestWorker({ apps: OUTBOUND_APPS, env: outboundEnv(fake), prefix: queues.prefix, databaseUrl: database.url });
    try {
      expect(await waitForEnded(database.prisma, reply.id)).toMatchObject({ status: 'sent' });
      expect(fake.sent(SENDING_APP.appId).filter((message) => message.touser === openid)).toHaveLength(1);
    } finally {
      await worker.stop();
    }
    expect(worker.exitCodes).toEqual([0]);
  });
});
