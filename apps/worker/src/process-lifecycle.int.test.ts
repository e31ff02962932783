import type { InboundCallback } from '@wxcs/queue';
import { readMetric, waitFor, type AppProcess } from '@wxcs/testkit';
import { describe, expect } from 'vitest';
import { enqueue, inboundCallback, textMessage, waitUntilQueueEmpty } from './testing/callbacks.js';
import { spawnWorker } from './testing/worker-process.js';
import { integrationTest, openTestQueues } from './testing/worker-test.js';

// Each test leaves jobs behind (orphaned, completed), so each has queues of its own; they share the database, emptied after each.
const test = integrationTest('worker-lifecycle')
  .extend('ownQueues', { scope: 'test' }, ({ redis }, { onCleanup }) => {
    const queues = openTestQueues(redis, 'worker-lifecycle');
    onCleanup(queues.close);
    return queues;
  })
  .extend('start', { scope: 'test' }, ({ ownQueues, database }, { onCleanup }) => {
    const spawned: AppProcess[] = [];
    onCleanup(async () => {
      for (const worker of spawned) await worker.kill();
      await database.prisma.customerMessage.deleteMany();
    });
    return async (env: Record<string, string> = {}): Promise<AppProcess> => {
      const worker = await spawnWorker({ prefix: ownQueues.prefix, databaseUrl: database.url, env });
      spawned.push(worker);
      return worker;
    };
  });

const messages = (count: number, offset: number): InboundCallback[] =>
  Array.from({ length: count }, (_unused, i) => inboundCallback({ message: textMessage(offset + i) }));

describe('worker processes', () => {
  test('loses and doubles nothing when a worker is SIGKILLed mid-batch', async ({ ownQueues: { inbound, deadLetters }, start, database }) => {
    const callbacks = messages(3_000, 100_000);
    // A long batch wait keeps many jobs in flight (rows pending or committed but unacknowledged).
    const slow = { WORKER_CONCURRENCY: '64', WORKER_BATCH_SIZE: '64', WORKER_BATCH_MAX_WAIT_MS: '200' };
    const doomed = await start(slow);
    await enqueue(inbound, [...callbacks, ...callbacks.slice(0, 200).map((c) => ({ ...c, callbackId: `${c.callbackId}-again` }))]);
    await waitFor('the first rows', async () => (await database.prisma.customerMessage.count()) >= 300, { timeoutMs: 30_000, everyMs: 5 });
    expect((await doomed.kill()).signal).toBe('SIGKILL');
    const orphaned = await inbound.getActiveCount();
    expect(orphaned).toBeGreaterThan(0);
    expect(await database.prisma.customerMessage.count()).toBeLessThan(callbacks.length);

    const rescuer = await start();
    await waitUntilQueueEmpty(inbound, 60_000);
    const rows = await database.prisma.$queryRawUnsafe<{ rows: bigint; ids: bigint }[]>(
      'SELECT count(*) AS rows, count(DISTINCT msg_id) AS ids FROM customer_message',
    );
    expect(rows).toEqual([{ rows: 3_000n, ids: 3_000n }]);
    expect(await inbound.getFailedCount()).toBe(0);
    expect(await deadLetters.getWaitingCount()).toBe(0);
    // The orphaned jobs came back through stalled-job recovery, not by luck.
    expect(rescuer.lines().join('\n')).toContain('job stalled, back to wait');
  });

  test('on SIGTERM finishes in-flight jobs at once and exits 0 within the deadline', async ({ ownQueues: { inbound }, start, database }) => {
    // 30 jobs in flight, waiting in the batcher for a 5 s window: only the
    // shutdown flush can store them before the 4 s deadline (exit 1).
    const worker = await start({ WORKER_CONCURRENCY: '50', WORKER_BATCH_SIZE: '1000', WORKER_BATCH_MAX_WAIT_MS: '5000', SHUTDOWN_TIMEOUT_MS: '4000' });
    await enqueue(inbound, messages(30, 200_000));
    await waitFor('30 jobs in flight', async () => (await inbound.getActiveCount()) === 30);
    expect(await database.prisma.customerMessage.count()).toBe(0);
    expect(readMetric(await worker.metrics(), 'wxcs_worker_jobs_processed_total')).toBe(0);

    expect(await worker.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await database.prisma.customerMessage.count()).toBe(30);
    expect(await inbound.getActiveCount()).toBe(0);
    expect(await inbound.getCompletedCount()).toBe(30);
    expect(worker.lines().join('\n')).toContain('"step":"worker"');
  });
});
