import { createLogger } from '@wxcs/logger';
import {
  catalog,
  createProducerRedis,
  deadLetterQueue,
  inboundQueue,
  openQueue,
  type DeadLetter,
  type DeadLetterQueue,
  type InboundCallback,
  type InboundQueue,
  type Redis,
} from '@wxcs/queue';
import { TEST_REDIS_URL, deleteQueuePrefix, uniqueQueuePrefix } from '@wxcs/queue/testing';
import { createApp, type AppDeps } from '../app.js';
import { listen, type Listening } from './http.js';

export const TEST_CREDENTIALS = { user: 'operator', password: 'correct horse battery staple' } as const;
export const TEST_JOB_ATTEMPTS = 4;

export interface TestDashboard extends Listening {
  readonly prefix: string;
  readonly redis: Redis;
  readonly inbound: InboundQueue;
  readonly deadLetters: DeadLetterQueue;
  /** Stops the server, closes the queues and connection, deletes the prefix. */
  readonly stop: () => Promise<void>;
}

/** The dashboard app on an ephemeral port over its own queue prefix on the test Redis. */
export async function startTestDashboard(label: string, overrides: Partial<AppDeps> = {}): Promise<TestDashboard> {
  const prefix = uniqueQueuePrefix(label);
  const redis = createProducerRedis(TEST_REDIS_URL);
  await redis.connect();
  const queues = catalog.map((record) => openQueue(record, { connection: redis, prefix }));
  // Handles of their own for the tests' reads and writes, with the payload types.
  const inbound = openQueue(inboundQueue, { connection: redis, prefix });
  const deadLetters = openQueue(deadLetterQueue, { connection: redis, prefix });
  const app = createApp({
    queues,
    credentials: TEST_CREDENTIALS,
    jobAttempts: TEST_JOB_ATTEMPTS,
    environment: 'test',
    logger: createLogger({ name: 'dashboard', level: 'silent' }),
    isShuttingDown: () => false,
    readinessChecks: [{ name: 'redis', check: async () => (await redis.ping()) === 'PONG' }],
    ...overrides,
  });
  const listening = await listen(app);
  return {
    ...listening,
    prefix,
    redis,
    inbound,
    deadLetters,
    stop: async () => {
      await listening.close();
      await Promise.all([...queues, inbound, deadLetters].map((queue) => queue.close()));
      redis.disconnect();
      await deleteQueuePrefix(TEST_REDIS_URL, prefix);
    },
  };
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

