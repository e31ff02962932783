import { rm } from 'node:fs/promises';
import { addCallbackBatch } from '@wxcs/queue';
import { deleteQueuePrefix, uniqueQueuePrefix } from '@wxcs/queue/testing';
import { sampleCredentials, simulateCallback } from '@wxcs/wechat/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, startThrowawayRedis, waitFor, type ThrowawayRedis } from '@wxcs/testkit';
import { openQueueProbe, startTestReceiver, type QueueProbe, type TestReceiver } from './testing/receiver-harness.js';
import { TEST_APPS, getPath, postCallback, type SentRequest } from './testing/requests.js';

const credentials = sampleCredentials();
let redis: ThrowawayRedis;
let prefix: string;
let spoolDir: { path: string; remove: () => Promise<void> };
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  redis = await startThrowawayRedis();
});

afterAll(async () => {
  await redis.dispose();
});

afterEach(async () => {
  redis.resume();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(env: Record<string, string> = {}, drainIntervalMs = 100): Promise<{ receiver: TestReceiver; probe: QueueProbe }> {
  prefix = uniqueQueuePrefix('outage');
  spoolDir = await makeTempDir('outage');
  const receiver = await start(env, drainIntervalMs);
  const probe = await openQueueProbe(prefix, { kind: 'single', url: redis.url });
  cleanups.push(async () => {
    await probe.close();
    await deleteQueuePrefix(redis.url, prefix).catch(() => undefined);
    await spoolDir.remove();
  });
  return { receiver, probe };
}

async function start(env: Record<string, string> = {}, drainIntervalMs = 100): Promise<TestReceiver> {
  const receiver = await startTestReceiver({ prefix, apps: TEST_APPS, spoolDir: spoolDir.path, redisUrl: redis.url, env, drainIntervalMs });
  let stopped = false;
  cleanups.push(async () => {
    if (!stopped) await receiver.stop();
  });
  return Object.assign(receiver, {
    stop: async () => {
      stopped = true;
      await receiver.shutdown.shutdown('test');
    },
  });
}

function sendMany(receiver: TestReceiver, count: number, label: string): Promise<SentRequest[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      postCallback(
        receiver.url,
        '/wechat/default',
        simulateCallback({ app: credentials, message: 'text', format: 'json', mode: 'safe', nonce: `${label}-${i}` }),
      ),
    ),
  );
}

/** Every callback sent under the label is in the queue exactly once. */
async function expectExactlyOnce(probe: QueueProbe, label: string, count: number): Promise<void> {
  const nonces = (await probe.callbacks()).map((c) => c.query.nonce ?? '').filter((n) => n.startsWith(`${label}-`));
  expect(nonces.length).toBe(count);
  expect(new Set(nonces).size).toBe(count);
}

describe('Redis outage', () => {
  it('answers success while Redis is down, then every callback reaches the queue exactly once', async () => {
    const { receiver, probe } = await setUp({ RECEIVER_ENQUEUE_TIMEOUT_MS: '200' });
    expect((await sendMany(receiver, 5, 'before')).every((r) => r.text === 'success')).toBe(true);
    // On a busy machine a first add can outlast the 200 ms timeout and be spooled; the outage starts with an empty spool.
    await waitFor('the warm-up callbacks in Redis', () => receiver.spool.depth() === 0);

    await redis.stop();
    const during = await sendMany(receiver, 40, 'during');
    expect(during.every((r) => r.status === 200 && r.text === 'success')).toBe(true);
    expect(receiver.spool.depth()).toBe(40);
    expect((await getPath(receiver.opsUrl, '/metrics')).text).toMatch(/wxcs_receiver_spool_depth\{[^}]*\} 40/);
    expect((await getPath(receiver.opsUrl, '/readyz')).status).toBe(200);
    const writes = Number(/wxcs_receiver_spool_writes_total\{[^}]*\} (\d+)/.exec((await getPath(receiver.opsUrl, '/metrics')).text)?.[1]);
    // Concurrent batches share fsyncs: at least one write, never more than one per callback.
    expect(writes).toBeGreaterThanOrEqual(1);
    expect(writes).toBeLessThanOrEqual(40);

    await redis.start();
    await waitFor('spool drained', () => receiver.spool.depth() === 0);
    // Redis restarted empty (no persistence): only what the drain put back is there.
    await expectExactlyOnce(probe, 'during', 40);
    expect((await getPath(receiver.opsUrl, '/metrics')).text).toMatch(/wxcs_receiver_spool_drained_total\{[^}]*\} 40/);
  });

  it('a Redis add that lands after the timeout and the spooled copy make one job, not two', async () => {
    // Long enough for all 30 requests to reach Redis before the first one times out.
    const { receiver, probe } = await setUp({ RECEIVER_ENQUEUE_TIMEOUT_MS: '1000' }, 3_600_000);
    await sendMany(receiver, 1, 'warm-up');
    redis.pause();
    const responses = await sendMany(receiver, 30, 'late');
    expect(responses.every((r) => r.text === 'success')).toBe(true);
    expect(receiver.spool.depth()).toBe(30);
    redis.resume();
    // The stalled adds complete now: the callbacks are in Redis and in the spool.
    await waitFor('late adds landed', async () => (await probe.count()) === 31);
    expect(await receiver.intake.drainSpool()).toBe(30);
    expect(receiver.spool.depth()).toBe(0);
    expect(await probe.count()).toBe(31);
    await expectExactlyOnce(probe, 'late', 30);
  });

  it('drains a non-empty spool left by a previous process, also after a crash mid-drain', async () => {
    const { receiver: first, probe } = await setUp({ RECEIVER_ENQUEUE_TIMEOUT_MS: '200' });
    await sendMany(first, 1, 'warm-up');
    await redis.stop();
    expect((await sendMany(first, 25, 'restart')).every((r) => r.text === 'success')).toBe(true);
    await first.stop();
    expect(first.exitCodes).toEqual([0]);

    await redis.start();
    // A previous drain that crashed after adding one callback but before deleting the segment.
    const [segment] = await first.spool.sealedSegments();
    const [already] = (await first.spool.readSegment(segment!)).callbacks;
    const addAlready = () => addCallbackBatch(probe.queue, [already!], { attempts: 3 });
    await waitFor('probe reconnected', () => addAlready().then(() => true, () => false));

    const second = await start({ RECEIVER_ENQUEUE_TIMEOUT_MS: '200' });
    await waitFor('spool drained after restart', () => second.spool.depth() === 0);
    await expectExactlyOnce(probe, 'restart', 25);
  });

  it('answers 503 only when the spool cannot take the callback either', async () => {
    const { receiver, probe } = await setUp({ RECEIVER_ENQUEUE_TIMEOUT_MS: '200' });
    await sendMany(receiver, 1, 'warm-up');
    await redis.stop();
    await rm(spoolDir.path, { recursive: true, force: true });
    const responses = await sendMany(receiver, 3, 'lost');
    expect(responses.map((r) => r.status)).toEqual([503, 503, 503]);
    expect((await getPath(receiver.opsUrl, '/readyz')).status).toBe(503);
    await redis.start();
    await waitFor('ready again', async () => (await getPath(receiver.opsUrl, '/readyz')).status === 200);
    expect(await probe.count()).toBe(0);
  });
});

describe('graceful shutdown', () => {
  it('finishes in-flight requests and loses none of them', async () => {
    const { receiver, probe } = await setUp({ RECEIVER_ENQUEUE_TIMEOUT_MS: '3000' });
    await sendMany(receiver, 1, 'warm-up');
    let received = 0;
    receiver.server.on('request', () => (received += 1));
    redis.pause();
    const inFlight = sendMany(receiver, 50, 'inflight');
    await waitFor('requests reached the server', () => received >= 50);
    const stopping = receiver.stop();
    expect(receiver.shutdown.isShuttingDown()).toBe(true);
    setTimeout(() => redis.resume(), 300);
    const responses = await inFlight;
    await stopping;
    expect(responses.every((r) => r.status === 200 && r.text === 'success')).toBe(true);
    expect(receiver.exitCodes).toEqual([0]);
    expect(receiver.spool.depth()).toBe(0);
    await expectExactlyOnce(probe, 'inflight', 50);
  });
});
