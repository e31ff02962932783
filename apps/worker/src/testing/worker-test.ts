import { createTestDatabase } from '@wxcs/db/testing';
import { createProducerRedis, deadLetterQueue, inboundQueue, openQueue, type DeadLetterQueue, type InboundQueue, type RedisConnection } from '@wxcs/queue';
import { TEST_REDIS_TARGET, TEST_REDIS_URL, deleteQueuePrefix, uniqueQueuePrefix } from '@wxcs/queue/testing';
import { test } from 'vitest';
import { startTestWorker, type TestWorkerOptions } from './test-worker.js';

export interface TestQueues {
  readonly prefix: string;
  readonly inbound: InboundQueue;
  readonly deadLetters: DeadLetterQueue;
  /** Closes both handles and deletes every key under the prefix. */
  readonly close: () => Promise<void>;
}

/** Handles on the inbound and dead-letter queues under a prefix of their own. */
export function openTestQueues(redis: RedisConnection, label: string): TestQueues {
  const prefix = uniqueQueuePrefix(label);
  const inbound = openQueue(inboundQueue, { connection: redis, prefix });
  const deadLetters = openQueue(deadLetterQueue, { connection: redis, prefix });
  return {
    prefix,
    inbound,
    deadLetters,
    close: async () => {
      await Promise.all([inbound.close(), deadLetters.close()]);
      await deleteQueuePrefix(TEST_REDIS_URL, prefix);
    },
  };
}

/**
 * vitest's `test` with file-wide fixtures, each made by the first test that
 * names it and undone after the file's last test (in reverse order):
 * - `database`: a migrated database of the file's own;
 * - `redis`: a connection to the test Redis for the test's own handles;
 * - `queues`: the inbound and dead-letter queues under the file's own prefix,
 *   also as `inbound` and `deadLetters`.
 */
export function integrationTest(label: string) {
  return (
    test
      // vitest reads a fixture's dependencies from its destructuring pattern, so it must be one, even empty.
      // eslint-disable-next-line no-empty-pattern
      .extend('database', { scope: 'file' }, async ({}, { onCleanup }) => {
        const database = await createTestDatabase(label);
        onCleanup(() => database.drop());
        return database;
      })
      // eslint-disable-next-line no-empty-pattern
      .extend('redis', { scope: 'file' }, async ({}, { onCleanup }): Promise<RedisConnection> => {
        const redis = createProducerRedis(TEST_REDIS_TARGET);
        await redis.connect();
        onCleanup(() => redis.disconnect());
        return redis;
      })
      .extend('queues', { scope: 'file' }, ({ redis }, { onCleanup }) => {
        const queues = openTestQueues(redis, label);
        onCleanup(queues.close);
        return queues;
      })
      .extend('inbound', { scope: 'file' }, ({ queues }) => queues.inbound)
      .extend('deadLetters', { scope: 'file' }, ({ queues }) => queues.deadLetters)
  );
}

/**
 * integrationTest's fixtures and `worker`: the real wiring (startTestWorker) on
 * the file's prefix and database, started before the file's first test
 * whether the test names it or not (every test here needs its queue consumed),
 * and shut down after the last, as on SIGTERM: a shutdown that exits non-zero
 * fails the file.
 */
export function workerTest(label: string, options: Omit<TestWorkerOptions, 'prefix' | 'databaseUrl'> = {}) {
  return integrationTest(label).extend('worker', { scope: 'file', auto: true }, async ({ queues, database }, { onCleanup }) => {
    const worker = await startTestWorker({ ...options, prefix: queues.prefix, databaseUrl: database.url });
    onCleanup(async () => {
      await worker.stop();
      // A shutdown step that failed or ran past the deadline reports 1: the file fails with it.
      if (worker.exitCodes.join() !== '0') throw new Error(`worker shutdown exited ${worker.exitCodes.join(', ')}`);
    });
    return worker;
  });
}
