import { loadDashboardConfig } from '@wxcs/config';
import { createLogger } from '@wxcs/logger';
import {
  deadLetterQueue,
  inboundQueue,
  openQueue,
  type DeadLetter,
  type DeadLetterQueue,
  type InboundCallback,
  type InboundQueue,
} from '@wxcs/queue';
import { TEST_REDIS_URL, deleteQueuePrefix, uniqueQueuePrefix } from '@wxcs/queue/testing';
import { testWithCleanup } from '@wxcs/testkit/fixtures';
import { startDashboard, type RunningDashboard } from '../main.js';

export const TEST_CREDENTIALS = { user: 'operator', password: 'correct horse battery staple' } as const;
export const TEST_JOB_ATTEMPTS = 4;

export interface TestDashboard extends RunningDashboard {
  readonly prefix: string;
  readonly origin: string;
  /** Typed handles of the tests' own, for reads and writes. */
  readonly inbound: InboundQueue;
  readonly deadLetters: DeadLetterQueue;
  /** Exit codes the shutdown reported instead of exiting the test process. */
  readonly exitCodes: readonly number[];
  /** Graceful shutdown, as on SIGTERM; then the prefix is deleted. */
  readonly stop: () => Promise<void>;
}

export interface TestDashboardOptions {
  /** Its own prefix instead of a unique one on the test Redis (e.g. with a hash tag on a cluster). */
  readonly prefix?: string;
  /** The Redis variables instead of REDIS_URL, e.g. REDIS_CLUSTER_NODES. */
  readonly redisEnv?: Readonly<Record<string, string>>;
}

/**
 * The dashboard as main.ts starts it (startDashboard), configured through the
 * real config loader, on an ephemeral port over its own queue prefix, by
 * default on the test Redis.
 */
export async function startTestDashboard(label: string, options: TestDashboardOptions = {}): Promise<TestDashboard> {
  const prefix = options.prefix ?? uniqueQueuePrefix(label);
  const config = loadDashboardConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ...(options.redisEnv ?? { REDIS_URL: TEST_REDIS_URL }),
    QUEUE_PREFIX: prefix,
    QUEUE_JOB_ATTEMPTS: String(TEST_JOB_ATTEMPTS),
    DASHBOARD_USER: TEST_CREDENTIALS.user,
    DASHBOARD_PASSWORD: TEST_CREDENTIALS.password,
    SHUTDOWN_TIMEOUT_MS: '10000',
  });
  const exitCodes: number[] = [];
  const logger = createLogger({ name: 'dashboard', level: 'silent' });
  const running = await startDashboard(config, { logger, exit: (code) => exitCodes.push(code) }, { port: 0 });
  const inbound = openQueue(inboundQueue, { connection: running.redis, prefix });
  const deadLetters = openQueue(deadLetterQueue, { connection: running.redis, prefix });
  return {
    ...running,
    prefix,
    origin: `http://127.0.0.1:${running.port}`,
    inbound,
    deadLetters,
    exitCodes,
    stop: async () => {
      await Promise.all([inbound.close(), deadLetters.close()]);
      await running.shutdown.shutdown('test');
      // A throwaway topology goes away with its keys.
      if (options.redisEnv === undefined) await deleteQueuePrefix(TEST_REDIS_URL, prefix);
    },
  };
}

/** `test` with a file-wide `dashboard`, started by the first test that names it and stopped after the file's last. */
export function dashboardTest(label: string) {
  return testWithCleanup.extend('dashboard', { scope: 'file' }, async ({ cleanup }) => {
    const dashboard = await startTestDashboard(label);
    cleanup.defer('dashboard', dashboard.stop);
    return dashboard;
  });
}

/** A dead letter for `callback`, as the worker would write it after a permanent failure. */
export function deadLetterOf(callback: InboundCallback, overrides: Partial<DeadLetter> = {}): DeadLetter {
  const failedAt = new Date().toISOString();
  return {
    v: 2,
    origin: inboundQueue.name,
    payload: callback,
    reason: 'Database rejected the row',
    code: 'database_rejected',
    kind: 'exhausted',
    errorName: 'PersistError',
    attemptsMade: 10,
    sourceJobId: callback.callbackId,
    firstAttemptAt: callback.receivedAt,
    failedAt,
    ...overrides,
  };
}

/** Any well-formed callback; for tests that never decrypt it. */
export function plainCallback(id: string, app = 'default', body = `{"MsgId":"${id}"}`): InboundCallback {
  return {
    v: 1,
    callbackId: id,
    app,
    receivedAt: new Date().toISOString(),
    body,
    contentType: 'application/json',
    query: { signature: 'sig', timestamp: '1700000000', nonce: id },
  };
}

