import { loadReceiverConfig, type RedisTarget, type WechatAppConfig } from '@wxcs/config';
import type { Logger } from '@wxcs/logger';
import { createProducerRedis, intakeQueue, openQueue, type CallbackBatch, type InboundCallback, type IntakeQueue, type RedisConnection } from '@wxcs/queue';
import type { Job } from 'bullmq';
import { TEST_REDIS_TARGET, TEST_REDIS_URL } from '@wxcs/queue/testing';
import { waitFor } from '@wxcs/testkit';
import { startReceiver, type RunningReceiver } from '../main.js';
import { captureLogger } from './callbacks.js';

export interface TestReceiverOptions {
  readonly prefix: string;
  readonly apps: readonly WechatAppConfig[];
  readonly spoolDir: string;
  readonly redisUrl?: string;
  /** The Redis variables instead of REDIS_URL, e.g. REDIS_SENTINELS and REDIS_SENTINEL_MASTER. */
  readonly redisEnv?: Readonly<Record<string, string>>;
  /** Extra environment, e.g. RECEIVER_ENQUEUE_TIMEOUT_MS. */
  readonly env?: Readonly<Record<string, string>>;
  readonly drainIntervalMs?: number;
  readonly logger?: Logger;
}

export interface TestReceiver extends RunningReceiver {
  readonly url: string;
  /** /healthz, /readyz, /metrics. */
  readonly opsUrl: string;
  /** Exit codes the shutdown reported instead of exiting the test process. */
  readonly exitCodes: number[];
  /** Graceful shutdown, as on SIGTERM. */
  readonly stop: () => Promise<void>;
}

/** The real wiring (startReceiver) on an ephemeral port, configured through the real config loader. */
export async function startTestReceiver(options: TestReceiverOptions): Promise<TestReceiver> {
  const redisUrl = options.redisUrl ?? TEST_REDIS_URL;
  const config = loadReceiverConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ...(options.redisEnv ?? { REDIS_URL: redisUrl }),
    QUEUE_PREFIX: options.prefix,
    RECEIVER_SPOOL_DIR: options.spoolDir,
    WECHAT_APPS: JSON.stringify(options.apps),
    SHUTDOWN_TIMEOUT_MS: '10000',
    ...options.env,
  });
  const exitCodes: number[] = [];
  const running = await startReceiver(
    config,
    { logger: options.logger ?? captureLogger('silent').logger, exit: (code) => exitCodes.push(code) },
    { port: 0, opsPort: 0, drainIntervalMs: options.drainIntervalMs ?? 100 },
  );
  return {
    ...running,
    url: `http://127.0.0.1:${running.port}`,
    opsUrl: `http://127.0.0.1:${running.opsPort}`,
    exitCodes,
    stop: () => running.shutdown.shutdown('test'),
  };
}

/** A read-only view, for assertions, of what the receiver put in Redis: the intake queue's batches. */
export interface QueueProbe {
  readonly queue: IntakeQueue;
  /** Every batch job, whatever its state. */
  readonly batches: () => Promise<Job<CallbackBatch, unknown, string>[]>;
  /** Every callback in any batch, once per callback id, as unpacking makes one inbound job of each. */
  readonly callbacks: () => Promise<InboundCallback[]>;
  /** How many callbacks `callbacks` gives. */
  readonly count: () => Promise<number>;
  readonly close: () => Promise<void>;
}

const ALL_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;

export async function openQueueProbe(prefix: string, target: RedisTarget = TEST_REDIS_TARGET): Promise<QueueProbe> {
  const redis: RedisConnection = createProducerRedis(target);
  await redis.connect();
  const queue = openQueue(intakeQueue, { connection: redis, prefix });
  // Outage tests stop Redis under the probe too; its reconnect errors are expected.
  queue.on('error', () => undefined);
  // The connection fails fast: after a Redis restart, a read must wait for it to be back,
  // which may be after the receiver's own connection is.
  const connected = () => waitFor('the queue probe to reconnect to Redis', () => redis.status === 'ready', { timeoutMs: 15_000 });
  const batches = async () => {
    await connected();
    return queue.getJobs([...ALL_STATES], 0, -1, true);
  };
  const callbacks = async () => {
    const byId = new Map<string, InboundCallback>();
    for (const batch of await batches()) for (const callback of batch.data.callbacks) byId.set(callback.callbackId, callback);
    return [...byId.values()];
  };
  return {
    queue,
    batches,
    callbacks,
    count: async () => (await callbacks()).length,
    close: async () => {
      await queue.close();
      redis.disconnect();
    },
  };
}
