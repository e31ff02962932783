import type { WechatAppConfig, WorkerConfig } from '@wxcs/config';
import type { PrismaClient } from '@wxcs/db';
import { createLogger } from '@wxcs/logger';
import { createConsumerRedis, createProducerRedis } from '@wxcs/queue';
import { TEST_REDIS_URL } from '@wxcs/queue/testing';
import { createMetricsRegistry } from '@wxcs/service';
import type { Registry } from 'prom-client';
import { createWorkerService, type WorkerService } from '../worker-service.js';
import { TEST_APP } from './callbacks.js';

/** Small and fast: short batch wait, short backoff, quick stall detection. */
export const TEST_SETTINGS: WorkerConfig['worker'] = {
  WORKER_PORT: 3001,
  WORKER_CONCURRENCY: 16,
  WORKER_BATCH_SIZE: 50,
  WORKER_BATCH_MAX_WAIT_MS: 10,
  WORKER_BACKOFF_BASE_MS: 50,
  WORKER_BACKOFF_MAX_MS: 200,
  WORKER_STALLED_INTERVAL_MS: 1_000,
  WORKER_COMPLETED_RETENTION: 1_000,
};

export interface TestWorker {
  readonly service: WorkerService;
  readonly registry: Registry;
  /** Sum of a counter's samples matching `labels` (for a histogram: its observation count). */
  readonly metric: (name: string, labels?: Record<string, string>) => Promise<number>;
  readonly stop: () => Promise<void>;
}

export interface TestWorkerOptions {
  readonly prefix: string;
  readonly prisma: PrismaClient;
  readonly settings?: Partial<WorkerConfig['worker']>;
  readonly apps?: readonly WechatAppConfig[];
}

/** The worker wired as main.ts wires it, in this process, on the test's prefix and database. */
export async function startTestWorker(options: TestWorkerOptions): Promise<TestWorker> {
  const redis = {
    worker: createConsumerRedis(TEST_REDIS_URL),
    queue: createConsumerRedis(TEST_REDIS_URL),
    probe: createProducerRedis(TEST_REDIS_URL),
  };
  await redis.probe.connect();
  const registry = createMetricsRegistry('worker-test');
  let stopping = false;
  const service = createWorkerService({
    settings: { ...TEST_SETTINGS, ...options.settings },
    prefix: options.prefix,
    apps: options.apps ?? [TEST_APP],
    logger: createLogger({ name: 'worker-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    registry,
    prisma: options.prisma,
    redis,
    isShuttingDown: () => stopping,
  });
  void service.run();
  await Promise.all(service.workers.map((worker) => worker.waitUntilReady()));
  return {
    service,
    registry,
    metric: async (name, labels = {}) => {
      const metric = registry.getSingleMetric(name);
      if (metric === undefined) throw new Error(`no metric ${name}`);
      const { values } = await metric.get();
      return values
        .filter((sample) => Object.entries(labels).every(([key, value]) => String(sample.labels[key]) === value))
        .filter((sample) => [name, `${name}_count`].includes((sample as { metricName?: string }).metricName ?? name))
        .reduce((sum, sample) => sum + sample.value, 0);
    },
    stop: async () => {
      stopping = true;
      await service.stop();
      await Promise.all([redis.worker.quit(), redis.queue.quit(), redis.probe.quit()]);
    },
  };
}
