import { createTestDatabase } from '@wxcs/db/testing';
import { createProducerRedis, deadLetterQueue, inboundQueue, openQueue, type DeadLetterQueue, type InboundCallback, type InboundQueue, type Redis } from '@wxcs/queue';
import { TEST_REDIS_URL, deleteQueuePrefix, uniqueQueuePrefix } from '@wxcs/queue/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enqueue, inboundCallback, textMessage, waitForDrain } from './testing/callbacks.js';
import { readMetric, waitFor, type AppProcess } from '@wxcs/testkit';
import { spawnWorker } from './testing/worker-process.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let redis: Redis;
const opened: { inbound: InboundQueue; deadLetters: DeadLetterQueue; prefix: string }[] = [];
const spawned: AppProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase('worker-lifecycle');
  redis = createProducerRedis(TEST_REDIS_URL);
  await redis.connect();
});

afterEach(async () => {
  for (const worker of spawned.splice(0)) await worker.kill();
  await database.prisma.customerMessage.deleteMany();
});

afterAll(async () => {
  for (const { inbound, deadLetters, prefix } of opened) {
    await inbound.close();
    await deadLetters.close();
    await deleteQueuePrefix(TEST_REDIS_URL, prefix);
  }
  redis?.disconnect();
  await database?.drop();
});

function queuesFor(label: string) {
  const prefix = uniqueQueuePrefix(label);
  const handles = { prefix, inbound: openQueue(inboundQueue, { connection: redis, prefix }), deadLetters: openQueue(deadLetterQueue, { connection: redis, prefix }) };
  opened.push(handles);
  return handles;
}

async function start(prefix: string, env: Record<string, string> = {}): Promise<AppProcess> {
  const worker = await spawnWorker({ prefix, databaseUrl: database.url, env });
  spawned.push(worker);
  return worker;
}

const messages = (count: number, offset: number): InboundCallback[] =>
  Array.from({ length: count }, (_unused, i) => inboundCallback({ message: textMessage(offset + i) }));

describe('worker processes', () => {
  it('loses and doubles nothing when a worker is SIGKILLed mid-batch', async () => {
    const { prefix, inbound, deadLetters } = queuesFor('worker-sigkill');
    const callbacks = messages(3_000, 100_000);
    // A long batch wait keeps many jobs in flight (rows pending or committed but unacknowledged).
    const slow = { WORKER_CONCURRENCY: '64', WORKER_BATCH_SIZE: '64', WORKER_BATCH_MAX_WAIT_MS: '200' };
    const doomed = await start(prefix, slow);
    await enqueue(inbound, [...callbacks, ...callbacks.slice(0, 200).map((c) => ({ ...c, callbackId: `${c.callbackId}-again` }))]);
    await waitFor('the first rows', async () => (await database.prisma.customerMessage.count()) >= 300, { timeoutMs: 30_000, everyMs: 5 });
    expect((await doomed.kill()).signal).toBe('SIGKILL');
    const orphaned = await inbound.getActiveCount();
    expect(orphaned).toBeGreaterThan(0);
    expect(await database.prisma.customerMessage.count()).toBeLessThan(callbacks.length);

    const rescuer = await start(prefix);
    await waitForDrain(inbound, 60_000);
    const rows = await database.prisma.$queryRawUnsafe<{ rows: bigint; ids: bigint }[]>(
      'SELECT count(*) AS rows, count(DISTINCT msg_id) AS ids FROM customer_message',
    );
    expect(rows).toEqual([{ rows: 3_000n, ids: 3_000n }]);
    expect(await inbound.getFailedCount()).toBe(0);
    expect(await deadLetters.getWaitingCount()).toBe(0);
    // The orphaned jobs came back through stalled-job recovery, not by luck.
    expect(rescuer.lines().join('\n')).toContain('job stalled, back to wait');
  });

  it('on SIGTERM finishes in-flight jobs at once and exits 0 within the deadline', async () => {
    const { prefix, inbound } = queuesFor('worker-sigterm');
    // 30 jobs in flight, waiting in the batcher for a 5 s window: only the
    // shutdown flush can store them before the 4 s deadline (exit 1).
    const worker = await start(prefix, { WORKER_CONCURRENCY: '50', WORKER_BATCH_SIZE: '1000', WORKER_BATCH_MAX_WAIT_MS: '5000', SHUTDOWN_TIMEOUT_MS: '4000' });
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
