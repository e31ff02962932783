import { randomUUID } from 'node:crypto';
import { createLogger } from '@wxcs/logger';
import { addDeadLetter, createConsumerRedis, inboundQueue, listDeadLetters, type RedisConnection } from '@wxcs/queue';
import { TEST_REDIS_TARGET } from '@wxcs/queue/testing';
import { createMetricsRegistry } from '@wxcs/service';
import { waitFor } from '@wxcs/testkit';
import { UnrecoverableError, Worker } from 'bullmq';
import { describe, expect } from 'vitest';
import { MAX_STALLED_COUNT } from '../queue-worker.js';
import { createWorkerMetrics } from '../metrics/worker-metrics.js';
import { inboundCallback, textMessage } from '../testing/callbacks.js';
import { startTestWorker } from '../testing/test-worker.js';
import { integrationTest, openTestQueues, type TestQueues } from '../testing/worker-test.js';
import { STALLED_LIMIT_REASON, rescueFailedJobs } from './failed-job-rescue.js';

// Every test starts from an empty failed set and no dead letters: queues of its own.
const test = integrationTest('worker-failed-rescue').extend('ownQueues', { scope: 'test' }, ({ redis }, { onCleanup }) => {
  const queues = openTestQueues(redis, 'worker-failed-rescue');
  onCleanup(queues.close);
  return queues;
});

const logger = createLogger({ name: 'failed-rescue-test', level: 'silent' });

function rescue({ inbound, deadLetters }: TestQueues) {
  const metrics = createWorkerMetrics(createMetricsRegistry(`failed-rescue-${randomUUID()}`));
  return rescueFailedJobs({ queue: inbound, addDeadLetter: (letter) => addDeadLetter(deadLetters, letter), metrics, logger });
}

/**
 * A job BullMQ fails without calling any processor: it has already stalled
 * as often as our worker allows (counted in the job hash's `stc`), and the
 * worker that takes it once more never renews its lock, as if it died. The
 * stalled checker marks it for failure (`defa`) and puts it back; the next
 * worker to take it fails it at once.
 */
async function failByStalledChecker({ prefix, inbound }: TestQueues, redis: RedisConnection, data: unknown, jobId: string): Promise<void> {
  await inbound.add(inboundQueue.jobName, data as never, { jobId });
  const jobKey = `${prefix}:${inboundQueue.name}:${jobId}`;
  await redis.hset(jobKey, 'stc', String(MAX_STALLED_COUNT));
  const [dyingConnection, nextConnection] = [createConsumerRedis(TEST_REDIS_TARGET), createConsumerRedis(TEST_REDIS_TARGET)];
  const dying = new Worker(inboundQueue.name, null, {
    connection: dyingConnection,
    prefix,
    autorun: false,
    lockDuration: 200,
    stalledInterval: 200,
    maxStalledCount: MAX_STALLED_COUNT,
  });
  let processorCalls = 0;
  const next = new Worker(
    inboundQueue.name,
    () => {
      processorCalls += 1;
      return Promise.resolve();
    },
    { connection: nextConnection, prefix, autorun: false, maxStalledCount: MAX_STALLED_COUNT },
  );
  try {
    expect((await dying.getNextJob(randomUUID()))?.id).toBe(jobId);
    await dying.startStalledCheckTimer();
    await waitFor('the stalled checker to give up on the job', async () => (await redis.hget(jobKey, 'defa')) !== null, { timeoutMs: 10_000 });
    await dying.close(true);
    void next.run();
    await waitFor('the next worker to fail the job', async () => (await inbound.getFailedCount()) > 0, { timeoutMs: 10_000 });
    expect(processorCalls).toBe(0);
  } finally {
    await Promise.all([dying.close(true), next.close()]);
    await Promise.all([dyingConnection.quit(), nextConnection.quit()]);
  }
}

/** A job failed for a reason of its own, as by a processor that throws UnrecoverableError. */
async function failInProcessor({ prefix, inbound }: TestQueues, data: unknown, jobId: string, reason: string): Promise<void> {
  await inbound.add(inboundQueue.jobName, data as never, { jobId });
  const connection = createConsumerRedis(TEST_REDIS_TARGET);
  const failing = new Worker(
    inboundQueue.name,
    () => {
      throw new UnrecoverableError(reason);
    },
    { connection, prefix },
  );
  try {
    await waitFor('the job to fail', async () => (await inbound.getJob(jobId))?.failedReason === reason, { timeoutMs: 10_000 });
  } finally {
    await failing.close();
    await connection.quit();
  }
}

describe('rescueFailedJobs against Redis', () => {
  test('moves a job the stalled checker failed into the dead letters, callback intact, and empties the failed set', async ({ ownQueues, redis }) => {
    const { inbound } = ownQueues;
    const callback = inboundCallback({ message: textMessage(1) });
    await failByStalledChecker(ownQueues, redis, callback, callback.callbackId);
    expect((await inbound.getJob(callback.callbackId))?.failedReason).toBe(STALLED_LIMIT_REASON);

    expect(await rescue(ownQueues)).toBe(1);

    const [letter, ...others] = (await listDeadLetters(ownQueues.deadLetters)).map((entry) => entry.letter);
    expect(others).toEqual([]);
    expect(letter).toMatchObject({ code: 'stalled_repeatedly', kind: 'exhausted', sourceJobId: callback.callbackId, origin: inboundQueue.name, payload: callback });
    expect(await inbound.getFailedCount()).toBe(0);
    expect(await inbound.getJob(callback.callbackId)).toBeUndefined();
  });

  test('keeps BullMQ’s reason for any other failure, and a payload that is not a callback as it was', async ({ ownQueues }) => {
    await failInProcessor(ownQueues, { not: 'a callback' }, 'broken-1', 'refused by hand');

    expect(await rescue(ownQueues)).toBe(1);

    const [letter] = (await listDeadLetters(ownQueues.deadLetters)).map((entry) => entry.letter);
    expect(letter).toMatchObject({ code: 'failed_in_queue', reason: 'refused by hand', sourceJobId: 'broken-1' });
    expect(letter).toMatchObject({ origin: inboundQueue.name, payload: { not: 'a callback' } });
  });

  test('is a no-op on an empty failed set and never writes a dead letter twice', async ({ ownQueues }) => {
    const callback = inboundCallback({ message: textMessage(2) });
    await failInProcessor(ownQueues, callback, callback.callbackId, 'first');
    expect(await Promise.all([rescue(ownQueues), rescue(ownQueues)])).toEqual(expect.arrayContaining([1]));
    expect(await rescue(ownQueues)).toBe(0);
    expect(await listDeadLetters(ownQueues.deadLetters)).toHaveLength(1);
  });

  test('runs when the worker starts: a failed job left from before is a dead letter soon after', async ({ ownQueues, database }) => {
    const { inbound } = ownQueues;
    const callback = inboundCallback({ message: textMessage(3) });
    await failInProcessor(ownQueues, callback, callback.callbackId, 'left over');
    const worker = await startTestWorker({ prefix: ownQueues.prefix, databaseUrl: database.url });
    try {
      await waitFor('the dead letter', async () => (await listDeadLetters(ownQueues.deadLetters)).length === 1, { timeoutMs: 10_000 });
      expect(await inbound.getFailedCount()).toBe(0);
      expect(await worker.metric('wxcs_worker_dead_letters_total', { code: 'failed_in_queue' })).toBe(1);
    } finally {
      await worker.stop();
    }
  });
});
