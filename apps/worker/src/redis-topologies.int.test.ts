import { randomBytes } from 'node:crypto';
import { loadWorkerConfig } from '@wxcs/config';
import { countMessages, createTestDatabase } from '@wxcs/db/testing';
import { createConsumerRedis, createProducerRedis, inboundQueue, openQueue, type InboundCallback } from '@wxcs/queue';
import { waitFor, type CleanupStack } from '@wxcs/testkit';
import { topologyTest } from '@wxcs/testkit/fixtures';
import { describe, expect } from 'vitest';
import { createQueueWorker } from './queue-worker.js';
import { enqueue, inboundCallback, textMessage } from './testing/callbacks.js';
import { startTestWorker } from './testing/test-worker.js';

const CALLBACKS = 200;

const test = topologyTest;

/**
 * The apps' own path: the worker's config loader reads the topology, a
 * producer connection adds callbacks to the catalog's inbound queue, and the
 * worker's BullMQ consumer on a consumer connection processes every one.
 */
async function processThroughQueue(cleanup: CleanupStack, env: Readonly<Record<string, string>>): Promise<void> {
  const config = loadWorkerConfig(env);
  const prefix = config.redis.QUEUE_PREFIX;
  const producer = createProducerRedis(config.redis.target);
  cleanup.defer('producer', () => producer.disconnect());
  await producer.connect();
  const queue = openQueue(inboundQueue, { connection: producer, prefix });
  cleanup.defer('queue', () => queue.close());
  const callbacks = Array.from({ length: CALLBACKS }, (_, n) => inboundCallback({ message: textMessage(n) }));
  await enqueue(queue, callbacks);

  const consumer = createConsumerRedis(config.redis.target);
  cleanup.defer('consumer', () => consumer.disconnect());
  const processed: string[] = [];
  const { worker: settings } = config;
  const worker = createQueueWorker(
    inboundQueue,
    (job) => {
      processed.push((job.data as InboundCallback).callbackId);
      return Promise.resolve();
    },
    {
      connection: consumer,
      prefix,
      concurrency: settings.WORKER_CONCURRENCY,
      backoff: { baseMs: settings.WORKER_BACKOFF_BASE_MS, maxMs: settings.WORKER_BACKOFF_MAX_MS },
      stalledIntervalMs: settings.WORKER_STALLED_INTERVAL_MS,
      completedRetention: settings.WORKER_COMPLETED_RETENTION,
    },
  );
  cleanup.defer('worker', () => worker.close());
  void worker.run();

  await waitFor('every callback to be completed', async () => (await queue.getCompletedCount()) === CALLBACKS, { timeoutMs: 15_000 });
  expect(processed.toSorted()).toEqual(callbacks.map((callback) => callback.callbackId).toSorted());
}

/**
 * The worker as main.ts starts it (its consumer, queue and probe
 * connections, dead letters, failed-job sweeps) on the topology, storing
 * what a producer adds.
 */
async function storeThroughWorker(cleanup: CleanupStack, redisEnv: Readonly<Record<string, string>>, prefix: string): Promise<void> {
  const database = await createTestDatabase('redis-topologies');
  cleanup.defer('database', () => database.drop());
  const worker = await startTestWorker({ prefix, databaseUrl: database.url, redisEnv });
  cleanup.defer('worker', worker.stop);
  const config = loadWorkerConfig({ ...redisEnv, QUEUE_PREFIX: prefix });
  const producer = createProducerRedis(config.redis.target);
  cleanup.defer('producer', () => producer.disconnect());
  await producer.connect();
  const queue = openQueue(inboundQueue, { connection: producer, prefix });
  cleanup.defer('queue', () => queue.close());

  await enqueue(queue, Array.from({ length: 50 }, (_, n) => inboundCallback({ message: textMessage(n) })));
  await waitFor('every message to be stored', async () => (await countMessages(database.prisma)) === 50, { timeoutMs: 15_000 });
  expect((await fetch(`${worker.opsUrl}/readyz`)).status).toBe(200);
  await worker.stop();
  expect(worker.exitCodes).toEqual([0]);
}

const uniqueTag = () => randomBytes(4).toString('hex');

describe('the queues on Redis Sentinel (one master, one replica, three sentinels, passwords on both)', () => {
  test('a producer adds callbacks through the sentinels and the worker processes each once', async ({ sentinel, cleanup }) => {
    await processThroughQueue(cleanup, { ...sentinel.env, QUEUE_PREFIX: `test-sentinel-${uniqueTag()}` });
  });

  test('the worker app stores what a producer adds', async ({ sentinel, cleanup }) => {
    await storeThroughWorker(cleanup, sentinel.env, `test-sentinel-${uniqueTag()}`);
  });
});

describe('the queues on Redis Cluster (three masters with a replica each)', () => {
  test('with a {hash tag} prefix, a producer adds callbacks and the worker processes each once', async ({ cluster, cleanup }) => {
    const tag = uniqueTag();
    expect(await cluster.masters()).toHaveLength(3);
    await processThroughQueue(cleanup, { ...cluster.env, QUEUE_PREFIX: `test-{wx${tag}}` });
  });

  test('the worker app stores what a producer adds', async ({ cluster, cleanup }) => {
    await storeThroughWorker(cleanup, cluster.env, `test-{wx${uniqueTag()}}`);
  });

  test('a prefix without a hash tag is refused at config load, since BullMQ would hit CROSSSLOT', async ({ cluster, cleanup }) => {
    expect(() => loadWorkerConfig({ ...cluster.env, QUEUE_PREFIX: 'wxcs' })).toThrow(/QUEUE_PREFIX: must hold a \{hash tag\} on Redis Cluster/);
    // What the check prevents: the same connection adding under an untagged prefix.
    const { target } = loadWorkerConfig({ ...cluster.env, QUEUE_PREFIX: '{wx}' }).redis;
    const producer = createProducerRedis(target);
    cleanup.defer('untagged producer', () => producer.disconnect());
    await producer.connect();
    const untagged = openQueue(inboundQueue, { connection: producer, prefix: `test-${uniqueTag()}` });
    cleanup.defer('untagged queue', () => untagged.close());
    await expect(untagged.add(inboundQueue.jobName, inboundCallback({ message: textMessage(0) }))).rejects.toThrow(/CROSSSLOT/);
  });
});
