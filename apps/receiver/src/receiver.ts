import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { ReceiverConfig } from '@wxcs/config';
import type { Logger } from '@wxcs/logger';
import type { Redis } from '@wxcs/queue';
import { closeServer, createMetricsRegistry, createOpsApp, createShutdown, type Shutdown } from '@wxcs/service';
import { createApp } from './app.js';
import { createAppRegistry } from './app-registry.js';
import { createIntake, type Intake } from './intake/create-intake.js';
import { createDeliveryWindow } from './intake/delivery-window.js';
import { raceTimeout } from './intake/race-timeout.js';
import { openSpool, type Spool } from './intake/spool.js';
import { createReceiverMetrics, type ReceiverMetrics } from './metrics.js';
import { closeRedis, logRedisEvents } from './redis-events.js';

// At start-up Redis gets this long to answer before the receiver listens anyway (spooling).
const REDIS_STARTUP_WAIT_MS = 2_000;
// Without a timestamp bound a replay can come at any time; the window still stops bursts.
const DELIVERY_WINDOW_WITHOUT_TOLERANCE_S = 600;

export interface StartOptions {
  readonly logger: Logger;
  /** The producer connection (createProducerRedis); closed by the shutdown. */
  readonly redis: Redis;
  /** Called once shutdown has finished (0) or failed or overran its deadline (1). */
  readonly exit: (code: number) => void;
  /** Override PORT and RECEIVER_OPS_PORT, e.g. 0 for ephemeral ports in tests. */
  readonly port?: number;
  readonly opsPort?: number;
  readonly drainIntervalMs?: number;
}

export interface RunningReceiver {
  readonly server: Server;
  readonly port: number;
  /** /healthz, /readyz, /metrics. */
  readonly opsPort: number;
  readonly shutdown: Shutdown;
  readonly intake: Intake;
  readonly spool: Spool;
  readonly metrics: ReceiverMetrics;
  readonly redis: Redis;
}

async function listening(server: Server): Promise<number> {
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/**
 * Wires the receiver from validated config and the Redis connection main.ts
 * created: spool, intake (batcher + drain), metrics, the request handler, the listening
 * server, and the shutdown steps in the order they must run.
 */
export async function startReceiver(config: ReceiverConfig, options: StartOptions): Promise<RunningReceiver> {
  const { logger, redis } = options;
  const shutdown = createShutdown({ logger, timeoutMs: config.common.SHUTDOWN_TIMEOUT_MS, exit: options.exit });
  logRedisEvents(redis, logger);
  // The gauge reads the spool only when scraped, after both exist.
  const metrics = createReceiverMetrics({ registry: createMetricsRegistry('receiver'), spoolDepth: () => spool.depth() });
  const spool = await openSpool({ dir: config.receiver.RECEIVER_SPOOL_DIR, onWrite: metrics.countSpoolWrite });
  const intake = createIntake({
    redis,
    spool,
    queuePrefix: config.redis.QUEUE_PREFIX,
    jobAttempts: config.redis.QUEUE_JOB_ATTEMPTS,
    enqueueTimeoutMs: config.receiver.RECEIVER_ENQUEUE_TIMEOUT_MS,
    maxBatchSize: config.receiver.RECEIVER_BATCH_MAX_SIZE,
    logger,
    metrics,
    drainIntervalMs: options.drainIntervalMs,
  });
  const registry = createAppRegistry(config.apps);
  const { RECEIVER_TIMESTAMP_TOLERANCE_SECONDS: tolerance } = config.receiver;
  const deliveries = createDeliveryWindow({
    maxEntries: config.receiver.RECEIVER_DELIVERY_WINDOW_SIZE,
    // A timestamp is accepted from `tolerance` before it to `tolerance` after.
    ttlMs: (tolerance > 0 ? 2 * tolerance : DELIVERY_WINDOW_WITHOUT_TOLERANCE_S) * 1000,
  });
  const app = createApp({
    logger,
    registry,
    intake,
    deliveries,
    metrics,
    isShuttingDown: shutdown.isShuttingDown,
    bodyLimitBytes: config.receiver.RECEIVER_BODY_LIMIT_BYTES,
    timestampToleranceSeconds: tolerance,
  });
  const opsApp = createOpsApp({
    registry: metrics.registry,
    isShuttingDown: shutdown.isShuttingDown,
    checks: [{ name: 'intake', check: intake.isReady }],
  });

  await raceTimeout(redis.connect().catch(() => undefined), REDIS_STARTUP_WAIT_MS);
  intake.start();
  // Node's defaults let a slow-loris client hold a socket for minutes; WeChat
  // sends its small body at once, so anything this slow is cut off.
  const requestTimeoutMs = config.receiver.RECEIVER_REQUEST_TIMEOUT_MS;
  const server = createServer(
    { requestTimeout: requestTimeoutMs, headersTimeout: requestTimeoutMs, connectionsCheckingInterval: 1_000 },
    app.handle,
  ).listen(options.port ?? config.receiver.PORT, config.receiver.HOST);
  const opsServer = createServer(opsApp).listen(options.opsPort ?? config.receiver.RECEIVER_OPS_PORT, config.receiver.HOST);
  const [port, opsPort] = await Promise.all([listening(server), listening(opsServer)]);
  logger.info({ port, opsPort, apps: registry.names, spoolDepth: spool.depth() }, 'receiver listening');

  // Readiness is 503 from the first signal on; then, in this order:
  shutdown.register({ name: 'http server', run: () => closeServer(server) });
  shutdown.register({ name: 'intake', run: intake.close });
  shutdown.register({ name: 'spool', run: spool.close });
  shutdown.register({ name: 'redis', run: () => closeRedis(redis) });
  shutdown.register({ name: 'ops server', run: () => closeServer(opsServer) });
  return { server, port, opsPort, shutdown, intake, spool, metrics, redis };
}
