import { createPrismaClient, type PrismaClient } from '@wxcs/db';
import { createProducerRedis, deadLetterQueue, inboundQueue, openQueue, type DeadLetterQueue, type InboundCallback, type InboundQueue, type Redis } from '@wxcs/queue';
import { TEST_REDIS_URL, deleteQueuePrefix, uniqueQueuePrefix } from '@wxcs/queue/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue, inboundCallback, textMessage } from './testing/callbacks.js';
import { startTestWorker, type TestWorker } from './testing/test-worker.js';
import { startThrowawayPostgres, waitFor, type ThrowawayPostgres } from '@wxcs/testkit';

// This test stops its database, so it runs its own PostgreSQL server.
const prefix = uniqueQueuePrefix('worker-outage');
let postgres: ThrowawayPostgres;
let prisma: PrismaClient;
let redis: Redis;
let inbound: InboundQueue;
let deadLetters: DeadLetterQueue;
let worker: TestWorker;

beforeAll(async () => {
  postgres = await startThrowawayPostgres();
  prisma = createPrismaClient({ databaseUrl: postgres.url, poolSize: 5 });
  redis = createProducerRedis(TEST_REDIS_URL);
  await redis.connect();
  inbound = openQueue(inboundQueue, { connection: redis, prefix });
  deadLetters = openQueue(deadLetterQueue, { connection: redis, prefix });
  worker = await startTestWorker({ prefix, databaseUrl: postgres.url, env: { WORKER_BACKOFF_BASE_MS: '100', WORKER_BACKOFF_MAX_MS: '400' } });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await prisma?.$disconnect();
  await inbound?.close();
  await deadLetters?.close();
  redis?.disconnect();
  await deleteQueuePrefix(TEST_REDIS_URL, prefix);
  await postgres?.dispose();
});

const deliveries = (from: number, to: number): InboundCallback[] =>
  Array.from({ length: to - from }, (_unused, i) => inboundCallback({ message: textMessage(from + i) }));

describe('PostgreSQL stopped mid-stream, then restarted', () => {
  it('stores every message exactly once, spends no attempts and dead-letters nothing', async () => {
    await enqueue(inbound, deliveries(0, 400));
    await waitFor('some rows before the outage', async () => (await prisma.customerMessage.count()) >= 50, { timeoutMs: 20_000, everyMs: 5 });
    await postgres.stop();

    // Arrives while the database is down, including second deliveries of messages already stored.
    const duringOutage = [...deliveries(400, 700), ...deliveries(0, 50)];
    await enqueue(inbound, duringOutage);
    await waitFor('the worker to notice the outage', async () => (await worker.metric('wxcs_worker_jobs_retried_total', { reason: 'database_unavailable' })) > 0);
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    // Jobs bounce off the outage without spending attempts: nothing failed, nothing dead-lettered.
    expect(await deadLetters.getWaitingCount()).toBe(0);
    expect(await inbound.getFailedCount()).toBe(0);
    const waiting = await inbound.getWaiting(0, 999);
    expect(waiting.length).toBeGreaterThan(300);
    expect(waiting.filter((job) => job.attemptsMade > 0)).toEqual([]);
    // Fetching pauses between probes: a worker that kept fetching would bounce thousands of jobs here.
    const bounces = await worker.metric('wxcs_worker_jobs_retried_total', { reason: 'database_unavailable' });
    expect(bounces).toBeGreaterThan(0);
    expect(bounces).toBeLessThan(1_000);

    await postgres.start();
    await waitFor('every message stored after the restart', async () => (await prisma.customerMessage.count()) === 700, { timeoutMs: 60_000, everyMs: 100 });
    await waitFor('the queue to drain', async () => {
      const counts = await inbound.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(counts).every((count) => count === 0);
    });

    const distinct = await prisma.$queryRawUnsafe<{ rows: bigint; ids: bigint }[]>(
      'SELECT count(*) AS rows, count(DISTINCT msg_id) AS ids FROM customer_message',
    );
    expect(distinct).toEqual([{ rows: 700n, ids: 700n }]);
    expect(await deadLetters.getWaitingCount()).toBe(0);
    expect(await inbound.getFailedCount()).toBe(0);
    expect(await worker.metric('wxcs_worker_jobs_processed_total', { outcome: 'inserted' })).toBe(700);
    // At least the 50 second deliveries; more if a commit's reply was lost as the server went down.
    expect(await worker.metric('wxcs_worker_duplicates_total')).toBeGreaterThanOrEqual(50);
  });
});
