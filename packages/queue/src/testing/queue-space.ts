import { test } from 'vitest';
import type { QueueRecord } from '../catalog.js';
import { createProducerRedis, type RedisConnection } from '../connections.js';
import { openQueue, type CatalogQueue } from '../queues.js';
import { TEST_REDIS_TARGET, TEST_REDIS_URL, deleteQueuePrefix, uniqueQueuePrefix } from './redis.js';

/** A queue prefix of its own on the test Redis, with producer handles on catalog queues under it. */
export interface QueueSpace {
  readonly prefix: string;
  readonly redis: RedisConnection;
  readonly open: <Payload>(record: QueueRecord<Payload>) => CatalogQueue<Payload>;
  /** Closes every handle opened here and the connection, and deletes every key under the prefix. */
  readonly close: () => Promise<void>;
}

export async function openQueueSpace(label: string): Promise<QueueSpace> {
  const prefix = uniqueQueuePrefix(label);
  const redis = createProducerRedis(TEST_REDIS_TARGET);
  await redis.connect();
  const opened: { close: () => Promise<void> }[] = [];
  return {
    prefix,
    redis,
    open: (record) => {
      const queue = openQueue(record, { connection: redis, prefix });
      opened.push(queue);
      return queue;
    },
    close: async () => {
      await Promise.all(opened.map((queue) => queue.close()));
      redis.disconnect();
      await deleteQueuePrefix(TEST_REDIS_URL, prefix);
    },
  };
}

/**
 * vitest's `test` with queue spaces: `space`, one for the whole file (for
 * tests that build on each other's state), and `freshSpace`, a new one for
 * each test that names it. Both are torn down when their scope ends.
 */
export function queueSpaceTest(label: string) {
  // vitest reads a fixture's dependencies from its destructuring pattern, so it must be one, even empty.
  /* eslint-disable no-empty-pattern */
  return test
    .extend('space', { scope: 'file' }, async ({}, { onCleanup }) => {
      const space = await openQueueSpace(label);
      onCleanup(space.close);
      return space;
    })
    .extend('freshSpace', async ({}, { onCleanup }) => {
      const space = await openQueueSpace(`${label}-fresh`);
      onCleanup(space.close);
      return space;
    });
  /* eslint-enable no-empty-pattern */
}
