import { createTestDatabase } from '@wxcs/db/testing';
import { createProducerRedis, inboundQueue, openQueue, type InboundQueue, type Redis } from '@wxcs/queue';
import { TEST_REDIS_URL, deleteQueuePrefix, uniqueQueuePrefix } from '@wxcs/queue/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue, inboundCallback, textMessage } from './testing/callbacks.js';
import { freePort, readMetric } from '@wxcs/testkit';
import { startTestWorker, type TestWorker } from './testing/test-worker.js';
import { waitFor } from '@wxcs/testkit';

const prefix = uniqueQueuePrefix('worker-http');
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let redis: Redis;
let inbound: InboundQueue;
let worker: TestWorker;
let workerWithoutDatabase: TestWorker;

beforeAll(async () => {
  database = await createTestDatabase('worker-http');
  redis = createProducerRedis(TEST_REDIS_URL);
  await redis.connect();
  inbound = openQueue(inboundQueue, { connection: redis, prefix });
  worker = await startTestWorker({ prefix, databaseUrl: database.url });
  workerWithoutDatabase = await startTestWorker({ prefix: `${prefix}-nodb`, databaseUrl: `postgresql://postgres@127.0.0.1:${await freePort()}/nowhere` });
});

afterAll(async () => {
  await worker?.stop();
  await workerWithoutDatabase?.stop();
  await inbound?.close();
  redis?.disconnect();
  await deleteQueuePrefix(TEST_REDIS_URL, prefix);
  await deleteQueuePrefix(TEST_REDIS_URL, `${prefix}-nodb`);
  await database?.drop();
});

describe('the ops port', () => {
  it('answers /healthz and /readyz when Redis and PostgreSQL are reachable', async () => {
    const url = worker.opsUrl;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { redis: true, database: true } });
  });

  it('is not ready while PostgreSQL cannot be reached', async () => {
    const url = workerWithoutDatabase.opsUrl;
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ checks: { redis: true, database: false } });
  });

  it('exposes pipeline counters and queue depth by state on /metrics', async () => {
    const url = worker.opsUrl;
    await enqueue(inbound, [inboundCallback({ message: textMessage(1) }), inboundCallback({ message: textMessage(1) })]);
    await waitFor('both jobs done', async () => (await inbound.getCompletedCount()) === 2);
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(readMetric(text, 'wxcs_worker_jobs_processed_total', { outcome: 'inserted' })).toBe(1);
    expect(readMetric(text, 'wxcs_worker_duplicates_total')).toBe(1);
    expect(readMetric(text, 'wxcs_worker_batch_size_count')).toBeGreaterThan(0);
    expect(readMetric(text, 'wxcs_worker_persist_duration_seconds_count', { result: 'ok' })).toBeGreaterThan(0);
    expect(readMetric(text, 'wxcs_queue_jobs', { queue: 'wechat-inbound', state: 'completed' })).toBe(2);
    expect(text).toMatch(/wxcs_queue_jobs\{[^}]*queue="wechat-dead-letter"[^}]*\} 0/);
    expect(text).toContain('process_resident_memory_bytes');
  });
});
