import { createPrismaClient } from '@wxcs/db';
import type { InboundCallback } from '@wxcs/queue';
import { startThrowawayPostgres, waitFor } from '@wxcs/testkit';
import { describe, expect } from 'vitest';
import { enqueue, inboundCallback, textMessage, waitUntilQueueEmpty } from './testing/callbacks.js';
import { startTestWorker } from './testing/test-worker.js';
import { integrationTest } from './testing/worker-test.js';

// This test stops its database, so it runs its own PostgreSQL server.
const test = integrationTest('worker-outage')
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern.
  .extend('postgres', { scope: 'file' }, async ({}, { onCleanup }) => {
    const postgres = await startThrowawayPostgres();
    onCleanup(() => postgres.dispose());
    return postgres;
  })
  .extend('prisma', { scope: 'file' }, ({ postgres }, { onCleanup }) => {
    const prisma = createPrismaClient({ databaseUrl: postgres.url, poolSize: 5 });
    onCleanup(() => prisma.$disconnect());
    return prisma;
  })
  .extend('worker', { scope: 'file' }, async ({ queues, postgres }, { onCleanup }) => {
    const worker = await startTestWorker({ prefix: queues.prefix, databaseUrl: postgres.url, env: { WORKER_BACKOFF_BASE_MS: '100', WORKER_BACKOFF_MAX_MS: '400' } });
    onCleanup(worker.stop);
    return worker;
  });

const deliveries = (from: number, to: number): InboundCallback[] =>
  Array.from({ length: to - from }, (_unused, i) => inboundCallback({ message: textMessage(from + i) }));

describe('PostgreSQL stopped mid-stream, then restarted', () => {
  test('stores every message exactly once, spends no attempts and dead-letters nothing', { timeout: 120_000 }, async ({ postgres, prisma, worker, inbound, deadLetters }) => {
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
    await waitUntilQueueEmpty(inbound);

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
