import type { WechatAppConfig } from '@wxcs/config';
import { TEST_REDIS_URL } from '@wxcs/queue/testing';
import { freePort, startAppProcess, type AppProcess } from '@wxcs/testkit';
import { TEST_APP } from './callbacks.js';

export interface WorkerProcessOptions {
  readonly prefix: string;
  readonly databaseUrl: string;
  /** Extra or overriding variables, e.g. WORKER_BATCH_MAX_WAIT_MS. */
  readonly env?: Readonly<Record<string, string>>;
  readonly apps?: readonly WechatAppConfig[];
}

/**
 * The real worker (src/main.ts through tsx, workspace packages from source)
 * as a child process with small, fast settings, for tests that kill or
 * signal it. Resolves once its /readyz answers 200.
 */
export async function spawnWorker(options: WorkerProcessOptions): Promise<AppProcess> {
  const worker = startAppProcess({
    app: 'worker',
    port: await freePort(),
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: options.prefix,
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_SIZE: '5',
      WORKER_CONCURRENCY: '16',
      WORKER_BATCH_SIZE: '50',
      WORKER_BATCH_MAX_WAIT_MS: '10',
      WORKER_BACKOFF_BASE_MS: '50',
      WORKER_BACKOFF_MAX_MS: '200',
      WORKER_STALLED_INTERVAL_MS: '1000',
      SHUTDOWN_TIMEOUT_MS: '10000',
      WECHAT_APPS: JSON.stringify(options.apps ?? [TEST_APP]),
      ...options.env,
    },
  });
  try {
    await worker.waitReady();
  } catch (error) {
    await worker.kill();
    throw error;
  }
  return worker;
}
