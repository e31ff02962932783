import { deleteQueuePrefix, TEST_REDIS_URL } from '@wxcs/queue/testing';
import { freePort, readMetric, waitFor } from '@wxcs/testkit';
import { describe, expect } from 'vitest';
import { enqueue, inboundCallback, textMessage } from './testing/callbacks.js';
import { startTestWorker } from './testing/test-worker.js';
import { workerTest } from './testing/worker-test.js';

const test = workerTest('worker-http').extend('workerWithoutDatabase', { scope: 'file' }, async ({ queues }, { onCleanup }) => {
  const prefix = `${queues.prefix}-nodb`;
  const worker = await startTestWorker({ prefix, databaseUrl: `postgresql://postgres@127.0.0.1:${await freePort()}/nowhere` });
  onCleanup(async () => {
    await worker.stop();
    await deleteQueuePrefix(TEST_REDIS_URL, prefix);
  });
  return worker;
});

describe('the ops port', () => {
  test('answers /healthz and /readyz when Redis and PostgreSQL are reachable', async ({ worker }) => {
    expect((await fetch(`${worker.opsUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${worker.opsUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { redis: true, database: true } });
  });

  test('is not ready while PostgreSQL cannot be reached', async ({ workerWithoutDatabase }) => {
    const ready = await fetch(`${workerWithoutDatabase.opsUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ checks: { redis: true, database: false } });
  });

  test('exposes pipeline counters and queue depth by state on /metrics', async ({ worker, inbound }) => {
    await enqueue(inbound, [inboundCallback({ message: textMessage(1) }), inboundCallback({ message: textMessage(1) })]);
    await waitFor('both jobs done', async () => (await inbound.getCompletedCount()) === 2);
    const text = await (await fetch(`${worker.opsUrl}/metrics`)).text();
    expect(readMetric(text, 'wxcs_worker_jobs_processed_total', { outcome: 'inserted' })).toBe(1);
    expect(readMetric(text, 'wxcs_worker_duplicates_total')).toBe(1);
    expect(readMetric(text, 'wxcs_worker_batch_size_count')).toBeGreaterThan(0);
    expect(readMetric(text, 'wxcs_worker_persist_duration_seconds_count', { result: 'ok' })).toBeGreaterThan(0);
    expect(readMetric(text, 'wxcs_queue_jobs', { queue: 'wechat-inbound', state: 'completed' })).toBe(2);
    expect(text).toMatch(/wxcs_queue_jobs\{[^}]*queue="wechat-dead-letter"[^}]*\} 0/);
    expect(text).toContain('process_resident_memory_bytes');
  });
});
