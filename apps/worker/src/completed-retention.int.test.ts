import { createTestDatabase } from '@wxcs/db/testing';
import { createProducerRedis, inboundQueue, openQueue, type InboundQueue } from '@wxcs/queue';
import { TEST_REDIS_URL, deleteQueuePrefix, uniqueQueuePrefix } from '@wxcs/queue/testing';
import { expect, test as base } from 'vitest';
import { enqueue, inboundCallback, textMessage, waitForDrain } from './testing/callbacks.js';
import { startTestWorker, type TestWorker } from './testing/test-worker.js';

const RETENTION = 3;

/** A worker keeping `RETENTION` completed jobs, and the inbound queue it consumes, on a fresh prefix and database. */
const test = base.extend<{ inbound: InboundQueue; worker: TestWorker }>({
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern.
  inbound: async ({}, use) => {
    const prefix = uniqueQueuePrefix('worker-retention');
    const redis = createProducerRedis(TEST_REDIS_URL);
    await redis.connect();
    const inbound = openQueue(inboundQueue, { connection: redis, prefix });
    await use(inbound);
    await inbound.close();
    redis.disconnect();
    await deleteQueuePrefix(TEST_REDIS_URL, prefix);
  },
  worker: async ({ inbound }, use) => {
    const database = await createTestDatabase('worker-retention');
    const prefix = inbound.opts.prefix ?? '';
    const worker = await startTestWorker({ prefix, databaseUrl: database.url, env: { WORKER_COMPLETED_RETENTION: String(RETENTION) } });
    await use(worker);
    await worker.stop();
    await database.drop();
  },
});

test('completed jobs are trimmed to WORKER_COMPLETED_RETENTION, whatever the producer added them with', async ({ inbound, worker }) => {
  // The receiver's job options, exactly as it adds every callback.
  await enqueue(inbound, Array.from({ length: 8 }, (_unused, n) => inboundCallback({ message: textMessage(n) })));
  await waitForDrain(inbound);
  expect(await worker.metric('wxcs_worker_jobs_processed_total', { outcome: 'inserted' })).toBe(8);
  expect(await inbound.getCompletedCount()).toBe(RETENTION);
});
