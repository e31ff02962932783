import { loadDashboardConfig } from '@wxcs/config';
import { createLogger } from '@wxcs/logger';
import { catalog, createProducerRedis, openQueue } from '@wxcs/queue';
import { closeServer, createShutdown, installCrashHandlers } from '@wxcs/service';
import { createApp } from './app.js';

/**
 * Composition root: the only place that reads the environment, opens
 * connections and listens. The dashboard holds producer handles only; the
 * worker is the sole consumer.
 */
async function main(): Promise<void> {
  const config = loadDashboardConfig(process.env);
  const logger = createLogger({ name: 'dashboard', level: config.common.LOG_LEVEL });
  const exit = (code: number) => process.exit(code);
  installCrashHandlers(logger, exit);
  const shutdown = createShutdown({ logger, timeoutMs: config.common.SHUTDOWN_TIMEOUT_MS, exit });
  shutdown.listen();

  const redis = createProducerRedis(config.redis.REDIS_URL);
  redis.on('error', (err) => logger.warn({ err }, 'redis connection error'));
  await redis.connect();
  const handle = { connection: redis, prefix: config.redis.QUEUE_PREFIX };
  const queues = catalog.map((record) => openQueue(record, handle));
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
  const server = app.listen(config.dashboard.DASHBOARD_PORT);
  server.once('listening', () => logger.info({ port: config.dashboard.DASHBOARD_PORT }, 'dashboard listening'));
  server.once('error', (err) => {
    // Port taken or not permitted: nothing is being served, so there is nothing to drain.
    logger.fatal({ err, port: config.dashboard.DASHBOARD_PORT }, 'dashboard cannot listen');
    exit(1);
  });

  shutdown.register({ name: 'http server', run: () => closeServer(server) });
  shutdown.register({ name: 'queues', run: async () => void (await Promise.all(queues.map((queue) => queue.close()))) });
  shutdown.register({ name: 'redis', run: async () => void (await redis.quit()) });
}

main().catch((error: unknown) => {
  // The logger may not exist yet (bad configuration), so this one line goes to stderr as JSON.
  process.stderr.write(`${JSON.stringify({ level: 'fatal', service: 'dashboard', msg: 'start-up failed', err: String(error) })}\n`);
  process.exit(1);
});
