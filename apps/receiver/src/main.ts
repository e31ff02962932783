import { createServer, type Server } from 'node:http';
import { loadReceiverConfig, type ReceiverConfig } from '@wxcs/config';
import { createBufferedDestination } from '@wxcs/logger';
import { createProducerRedis, type RedisConnection } from '@wxcs/queue';
import {
  closeServer,
  createMetricsRegistry,
  createOpsApp,
  createShutdown,
  isEntryPoint,
  listen,
  raceTimeout,
  runService,
  type ServiceRuntime,
  type Shutdown,
} from '@wxcs/service';
import { createAppDirectory } from '@wxcs/wechat';
import { createPublicHandler } from './public-handler.js';
import { createIntake, type Intake } from './intake/create-intake.js';
import { createDeliveryWindow } from './intake/delivery-window.js';
import { openSpool, type Spool } from './intake/spool.js';
import { createReceiverMetrics, type ReceiverMetrics } from './metrics.js';
import { closeRedis, logRedisEvents } from './redis-events.js';

// At start-up Redis gets this long to answer before the receiver listens anyway (spooling).
const REDIS_STARTUP_WAIT_MS = 2_000;
// Without a timestamp bound a replay can come at any time; the window still stops bursts.
const DELIVERY_WINDOW_WITHOUT_TOLERANCE_S = 600;

/** What tests change beyond the configuration: ephemeral ports, a faster spool drain. */
export interface ReceiverOverrides {
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
  readonly redis: RedisConnection;
}

/**
 * The receiver's composition root: its Redis connection, spool, intake
 * (enqueue batcher + spool drain), metrics, the request handler, both listening servers,
 * and the shutdown steps in the order they must run. The process runs it
 * through runService; tests call it directly.
 */
export async function startReceiver(config: ReceiverConfig, runtime: ServiceRuntime, overrides: ReceiverOverrides = {}): Promise<RunningReceiver> {
  const { logger } = runtime;
  const shutdown = createShutdown({ logger, timeoutMs: config.common.SHUTDOWN_TIMEOUT_MS, exit: runtime.exit });
  // Fail-fast producer: no offline queue, so an outage reaches the spool instead of hanging requests.
  const redis = createProducerRedis(config.redis.target);
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
    replicaAcks: config.receiver.RECEIVER_REPLICA_ACKS,
    replicaAckTimeoutMs: config.receiver.RECEIVER_REPLICA_ACK_TIMEOUT_MS,
    logger,
    metrics,
    drainIntervalMs: overrides.drainIntervalMs,
  });
  const apps = createAppDirectory(config.apps);
  const { RECEIVER_TIMESTAMP_TOLERANCE_SECONDS: tolerance } = config.receiver;
  const deliveries = createDeliveryWindow({
    maxEntries: config.receiver.RECEIVER_DELIVERY_WINDOW_SIZE,
    // A timestamp is accepted from `tolerance` before it to `tolerance` after.
    ttlMs: (tolerance > 0 ? 2 * tolerance : DELIVERY_WINDOW_WITHOUT_TOLERANCE_S) * 1000,
  });
  const handlePublicRequest = createPublicHandler({
    logger,
    apps,
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
  const server = createServer({ requestTimeout: requestTimeoutMs, headersTimeout: requestTimeoutMs, connectionsCheckingInterval: 1_000 }, handlePublicRequest);
  const opsServer = createServer(opsApp);
  const { HOST } = config.receiver;
  const [port, opsPort] = await Promise.all([
    listen(server, overrides.port ?? config.receiver.PORT, HOST),
    listen(opsServer, overrides.opsPort ?? config.receiver.RECEIVER_OPS_PORT, HOST),
  ]);
  logger.info({ port, opsPort, apps: apps.names, spoolDepth: spool.depth() }, 'receiver listening');

  // Readiness is 503 from the first signal on; then, in this order:
  shutdown.register({ name: 'http server', run: () => closeServer(server) });
  shutdown.register({ name: 'intake', run: intake.close });
  shutdown.register({ name: 'spool', run: spool.close });
  shutdown.register({ name: 'redis', run: () => closeRedis(redis) });
  shutdown.register({ name: 'ops server', run: () => closeServer(opsServer) });
  return { server, port, opsPort, shutdown, intake, spool, metrics, redis };
}

if (isEntryPoint(import.meta.url)) {
  void runService({
    name: 'receiver',
    loadConfig: loadReceiverConfig,
    logLevel: (config) => config.common.LOG_LEVEL,
    // One write per ~4 KiB of lines instead of a syscall per request, and never more than a second late when traffic is low.
    logDestination: () => createBufferedDestination({ fd: 1, minLength: 4096, maxDelayMs: 1_000 }),
    start: startReceiver,
  });
}
