import { loadWorkerConfig, type WechatAppConfig } from '@wxcs/config';
import { createLogger } from '@wxcs/logger';
import { TEST_REDIS_URL } from '@wxcs/queue/testing';
import { waitFor } from '@wxcs/testkit';
import { startWorker, type RunningWorker } from '../main.js';
import { TEST_APP } from './callbacks.js';

/** Small and fast: short batch wait, short backoff, quick stall detection. */
const FAST_SETTINGS: Readonly<Record<string, string>> = {
  NODE_ENV: 'test',
  DATABASE_POOL_SIZE: '5',
  WORKER_CONCURRENCY: '16',
  WORKER_BATCH_SIZE: '50',
  WORKER_BATCH_MAX_WAIT_MS: '10',
  WORKER_BACKOFF_BASE_MS: '50',
  WORKER_BACKOFF_MAX_MS: '200',
  WORKER_STALLED_INTERVAL_MS: '1000',
  SHUTDOWN_TIMEOUT_MS: '10000',
};

export interface TestWorkerOptions {
  readonly prefix: string;
  readonly databaseUrl: string;
  /** Extra or overriding variables, e.g. WORKER_COMPLETED_RETENTION. */
  readonly env?: Readonly<Record<string, string>>;
  /** The Redis variables instead of REDIS_URL, e.g. REDIS_CLUSTER_NODES. */
  readonly redisEnv?: Readonly<Record<string, string>>;
  readonly apps?: readonly WechatAppConfig[];
}

/** The worker's environment in tests, in this process or a child: the test's prefix, database and apps, fast settings. */
export function testWorkerEnv(options: TestWorkerOptions): Record<string, string> {
  return {
    ...FAST_SETTINGS,
    ...(options.redisEnv ?? { REDIS_URL: TEST_REDIS_URL }),
    QUEUE_PREFIX: options.prefix,
    DATABASE_URL: options.databaseUrl,
    WECHAT_APPS: JSON.stringify(options.apps ?? [TEST_APP]),
    ...options.env,
  };
}

export interface TestWorker extends RunningWorker {
  /** /healthz, /readyz, /metrics. */
  readonly opsUrl: string;
  /** Exit codes the shutdown reported instead of exiting the test process. */
  readonly exitCodes: readonly number[];
  /** Sum of a counter's samples matching `labels` (for a histogram: its observation count). */
  readonly metric: (name: string, labels?: Record<string, string>) => Promise<number>;
  /** Graceful shutdown, as on SIGTERM. */
  readonly stop: () => Promise<void>;
}

/**
 * The real wiring (startWorker) in this process, configured through the real
 * config loader, with its ops port on an ephemeral port. Resolves once it
 * consumes and readiness can reach Redis.
 */
export async function startTestWorker(options: TestWorkerOptions): Promise<TestWorker> {
  const config = loadWorkerConfig({ ...testWorkerEnv(options), LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const exitCodes: number[] = [];
  const logger = createLogger({ name: 'worker', level: config.common.LOG_LEVEL });
  const running = await startWorker(config, { logger, exit: (code) => exitCodes.push(code) }, { port: 0 });
  const opsUrl = `http://127.0.0.1:${running.port}`;
  const stop = () => running.shutdown.shutdown('test');
  try {
    await Promise.all(running.workers.map((worker) => worker.waitUntilReady()));
    await waitFor('the worker to reach Redis', async () => {
      const readiness = (await (await fetch(`${opsUrl}/readyz`)).json()) as { checks?: { redis?: boolean } };
      return readiness.checks?.redis === true;
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    ...running,
    opsUrl,
    exitCodes,
    metric: async (name, labels = {}) => {
      const metric = running.registry.getSingleMetric(name);
      if (metric === undefined) throw new Error(`no metric ${name}`);
      const { values } = await metric.get();
      return values
        .filter((sample) => Object.entries(labels).every(([key, value]) => String(sample.labels[key]) === value))
        .filter((sample) => [name, `${name}_count`].includes((sample as { metricName?: string }).metricName ?? name))
        .reduce((sum, sample) => sum + sample.value, 0);
    },
    stop,
  };
}
