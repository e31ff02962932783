import { createServer, type Server } from 'node:http';
import { loadDashboardConfig, type DashboardConfig } from '@wxcs/config';
import { catalog, createProducerRedis, openQueue, type CatalogQueue, type RedisConnection } from '@wxcs/queue';
import { closeServer, createShutdown, isEntryPoint, listen, runService, type ServiceRuntime, type Shutdown } from '@wxcs/service';
import { createApp } from './app.js';

/** What tests change beyond the configuration: an ephemeral port. */
export interface DashboardOverrides {
  readonly port?: number;
}

export interface RunningDashboard {
  readonly server: Server;
  readonly port: number;
  readonly shutdown: Shutdown;
  readonly redis: RedisConnection;
  /** A producer handle on every queue of the catalog, in the catalog's order. */
  readonly queues: readonly CatalogQueue[];
}

/**
 * The dashboard's composition root: one producer connection and a handle on
 * every queue of the catalog (the worker is the sole consumer), the app, the
 * listening server, the shutdown steps. The process runs it through
 * runService; tests call it directly.
 */
export async function startDashboard(config: DashboardConfig, runtime: ServiceRuntime, overrides: DashboardOverrides = {}): Promise<RunningDashboard> {
  const { logger } = runtime;
  const shutdown = createShutdown({ logger, timeoutMs: config.common.SHUTDOWN_TIMEOUT_MS, exit: runtime.exit });
  const redis = createProducerRedis(config.redis.target);
  redis.on('error', (err) => logger.warn({ err }, 'redis connection error'));
  await redis.connect();
  const queues = catalog.map((record) => openQueue(record, { connection: redis, prefix: config.redis.QUEUE_PREFIX }));
  for (const queue of queues) {
    queue.on('error', (err) => logger.warn({ err, queue: queue.name }, 'queue error'));
  }

  const app = createApp({
    queues,
    credentials: { user: config.dashboard.DASHBOARD_USER, password: config.dashboard.DASHBOARD_PASSWORD },
    jobAttempts: config.redis.QUEUE_JOB_ATTEMPTS,
    environment: config.common.NODE_ENV,
    logger,
    isShuttingDown: shutdown.isShuttingDown,
    readinessChecks: [{ name: 'redis', check: async () => (await redis.ping()) === 'PONG' }],
  });
  const server = createServer(app);
  const port = await listen(server, overrides.port ?? config.dashboard.DASHBOARD_PORT);
  logger.info({ port }, 'dashboard listening');

  shutdown.register({ name: 'http server', run: () => closeServer(server) });
  shutdown.register({ name: 'queues', run: async () => void (await Promise.all(queues.map((queue) => queue.close()))) });
  shutdown.register({ name: 'redis', run: async () => void (await redis.quit()) });
  return { server, port, shutdown, redis, queues };
}

if (isEntryPoint(import.meta.url)) {
  void runService({
    name: 'dashboard',
    loadConfig: loadDashboardConfig,
    logLevel: (config) => config.common.LOG_LEVEL,
    start: startDashboard,
  });
}
