// Composition root of the worker: the only place that reads the environment
// and creates connections.
import { createServer, type Server } from 'node:http';
import { loadWorkerConfig } from '@wxcs/config';
import { createPrismaClient } from '@wxcs/db';
import { createLogger } from '@wxcs/logger';
import { createConsumerRedis, createProducerRedis } from '@wxcs/queue';
import { closeServer, createMetricsRegistry, createShutdown, installCrashHandlers } from '@wxcs/service';
import { createWorkerService } from './worker-service.js';

async function main(): Promise<void> {
  const config = loadWorkerConfig(process.env);
  const logger = createLogger({ name: 'worker', level: config.common.LOG_LEVEL });
  const exit = (code: number) => process.exit(code);
  installCrashHandlers(logger, exit);
  const shutdown = createShutdown({ logger, timeoutMs: config.common.SHUTDOWN_TIMEOUT_MS, exit });

  const { REDIS_URL } = config.redis;
  const redis = { worker: createConsumerRedis(REDIS_URL), queue: createConsumerRedis(REDIS_URL), probe: createProducerRedis(REDIS_URL) };
  // Started before the queue handles exist (they would start it themselves);
  // not awaited: readiness answers 503 until Redis is there, the worker waits for it.
  redis.probe.connect().catch((error: unknown) => logger.warn({ err: error }, 'redis not reachable yet'));
  const prisma = createPrismaClient({ databaseUrl: config.database.DATABASE_URL, poolSize: config.database.DATABASE_POOL_SIZE });
  const service = createWorkerService({
    settings: config.worker,
    prefix: config.redis.QUEUE_PREFIX,
    apps: config.apps,
    logger,
    registry: createMetricsRegistry('worker'),
    prisma,
    redis,
    isShuttingDown: shutdown.isShuttingDown,
  });

  // The ops port keeps answering (readyz 503, metrics) while in-flight jobs finish.
  const server = createServer(service.app);
  shutdown.register({ name: 'worker', run: service.stop });
  shutdown.register({ name: 'http server', run: () => closeServer(server) });
  shutdown.register({ name: 'database', run: () => prisma.$disconnect() });
  shutdown.register({
    name: 'redis',
    run: async () => {
      await Promise.all([redis.worker.quit(), redis.queue.quit(), redis.probe.quit()]);
    },
  });
  shutdown.listen();

  await listen(server, config.worker.WORKER_PORT);
  service.run().catch((error: unknown) => {
    logger.fatal({ err: error }, 'worker stopped unexpectedly');
    void shutdown.shutdown('worker failure');
  });
  logger.info(
    { port: config.worker.WORKER_PORT, prefix: config.redis.QUEUE_PREFIX, concurrency: config.worker.WORKER_CONCURRENCY },
    'worker started',
  );
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('listening', resolve).once('error', reject);
    server.listen(port);
  });
}

main().catch((error: unknown) => {
  // The logger may not exist yet (bad configuration), so this goes to stderr directly.
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
