import { createTestDatabase } from '@wxcs/db/testing';
import { createProducerRedis, deadLetterQueue, inboundQueue, openQueue, type DeadLetterQueue, type InboundCallback, type InboundQueue, type Redis } from '@wxcs/queue';
import { TEST_REDIS_URL, deleteQueuePrefix, uniqueQueuePrefix } from '@wxcs/queue/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue, inboundCallback, textMessage, waitForDrain } from './testing/callbacks.js';
import { readMetric, type AppProcess } from '@wxcs/testkit';
import { spawnWorker } from './testing/worker-process.js';

const prefix = uniqueQueuePrefix('worker-replicas');
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let redis: Redis;
let inbound: InboundQueue;
let deadLetters: DeadLetterQueue;
const replicas: AppProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase('worker-replicas');
  redis = createProducerRedis(TEST_REDIS_URL);
  await redis.connect();
  inbound = openQueue(inboundQueue, { connection: redis, prefix });
  deadLetters = openQueue(deadLetterQueue, { connection: redis, prefix });
  replicas.push(...(await Promise.all([0, 1].map(() => spawnWorker({ prefix, databaseUrl: database.url })))));
}, 60_000);

afterAll(async () => {
  for (const replica of replicas) await replica.stop('SIGTERM');
  await inbound?.close();
  await deadLetters?.close();
  redis?.disconnect();
  await deleteQueuePrefix(TEST_REDIS_URL, prefix);
  await database?.drop();
});

describe('two worker processes racing on the same queue', () => {
  it('store each message once however the deliveries are split between them', async () => {
    const messageCount = 400;
    const deliveries: InboundCallback[] = [];
    // A message's four deliveries are adjacent in the queue, so both replicas
    // (and several batches of each) work on the same message at the same time.
    for (let n = 0; n < messageCount; n += 1) {
      for (let round = 0; round < 4; round += 1) deliveries.push(inboundCallback({ message: textMessage(300_000 + n) }));
    }
    await enqueue(inbound, deliveries);
    await waitForDrain(inbound, 60_000);

    const rows = await database.prisma.$queryRawUnsafe<{ rows: bigint; ids: bigint }[]>(
      'SELECT count(*) AS rows, count(DISTINCT msg_id) AS ids FROM customer_message',
    );
    expect(rows).toEqual([{ rows: BigInt(messageCount), ids: BigInt(messageCount) }]);
    const expositions = await Promise.all(replicas.map((replica) => replica.metrics()));
    const processed = expositions.map((text) => readMetric(text, 'wxcs_worker_jobs_processed_total'));
    const inserted = expositions.map((text) => readMetric(text, 'wxcs_worker_jobs_processed_total', { outcome: 'inserted' }));
    const duplicates = expositions.map((text) => readMetric(text, 'wxcs_worker_duplicates_total'));
    // Both replicas took part, and between them every delivery is accounted for exactly once.
    expect(processed.every((count) => count > 0)).toBe(true);
    expect(processed[0]! + processed[1]!).toBe(4 * messageCount);
    expect(inserted[0]! + inserted[1]!).toBe(messageCount);
    expect(duplicates[0]! + duplicates[1]!).toBe(3 * messageCount);
    expect(await deadLetters.getWaitingCount()).toBe(0);
    expect(await inbound.getFailedCount()).toBe(0);
  });
});
