import { createServer } from 'node:http';
import { loadWorkerConfig, type WorkerConfig } from '@wxcs/config';
import { checkDatabase, createPrismaClient, insertMessages, oldestPendingArchives, type PrismaClient } from '@wxcs/db';
import type { Logger } from '@wxcs/logger';
import { createMediaStore, type MediaStore } from '@wxcs/media';
import {
  addDeadLetter,
  addInboundJobs,
  addMediaArchiveJobs,
  catalog,
  createConsumerRedis,
  createProducerRedis,
  deadLetterQueue,
  inboundQueue,
  intakeQueue,
  mediaQueue,
  openQueue,
  outboundQueue,
  type InboundCallback,
  type RedisConnection,
} from '@wxcs/queue';
import {
  closeServer,
  createMetricsRegistry,
  createOpsApp,
  createShutdown,
  isEntryPoint,
  listen,
  runService,
  type ServiceRuntime,
  type Shutdown,
} from '@wxcs/service';
import { createAppDirectory } from '@wxcs/wechat';
import { createWechatApi, sharedTokenPrefix } from '@wxcs/wechat-api';
import type { Registry } from 'prom-client';
import { consume, type Consumer, type ConsumerDeps } from './consumer.js';
import { createMediaMetrics, type MediaMetrics } from './metrics/media-metrics.js';
import { registerQueueDepth } from './metrics/queue-depth.js';
import { createOutboundMetrics, type OutboundMetrics } from './metrics/outbound-metrics.js';
import { createWorkerMetrics, type WorkerMetrics } from './metrics/worker-metrics.js';
import { createDatabaseProbe } from './persist/database-probe.js';
import { createMessagePersister } from './persist/message-persister.js';
import { createInboundProcessor, type InboundProcessorDeps } from './processors/inbound-processor.js';
import { createIntakeProcessor } from './processors/intake-processor.js';
import { createMediaProcessor, type MediaProcessorDeps } from './processors/media-processor.js';
import { ORPHAN_AGE_MS, addMissingReplyJobs } from './processors/orphan-replies.js';
import { claimTimeoutFor, createOutboundProcessor, type OutboundProcessorDeps } from './processors/outbound-processor.js';
import { createOutageGuard } from './processors/outage-guard.js';
import { createPeriodicSweep } from './processors/periodic-sweep.js';
import { createSendingApps } from './processors/sending-apps.js';
import { MAX_STALLED_COUNT, type QueueWorker } from './queue-worker.js';

const PROBE_TIMEOUT_MS = 2_000;
/** A hung database must not hold jobs forever; a late commit is absorbed by deduplication. */
const INSERT_TIMEOUT_MS = 15_000;

/** What tests change beyond the configuration: an ephemeral ops port. */
export interface WorkerOverrides {
  readonly port?: number;
}

export interface RunningWorker {
  /** The ops port: /healthz, /readyz, /metrics. */
  readonly port: number;
  readonly shutdown: Shutdown;
  /** One per consumed queue of the catalog. */
  readonly workers: readonly QueueWorker[];
  readonly registry: Registry;
}

/**
 * The worker's composition root: its Redis connections and Prisma client,
 * the queues, the batched persister, one consumer per queue with its
 * processor, the ops port, and the shutdown steps in the order they must run.
 * The process runs it through runService; tests call it directly.
 */
export async function startWorker(config: WorkerConfig, runtime: ServiceRuntime, overrides: WorkerOverrides = {}): Promise<RunningWorker> {
  const { logger } = runtime;
  const { worker: settings } = config;
  const prefix = config.redis.QUEUE_PREFIX;
  const shutdown = createShutdown({ logger, timeoutMs: config.common.SHUTDOWN_TIMEOUT_MS, exit: runtime.exit });
  const { target } = config.redis;
  const redis = {
    // For the BullMQ workers; BullMQ duplicates it for blocking reads.
    worker: createConsumerRedis(target),
    // For dead letters, outage pauses and failed-set sweeps: they wait through a Redis blip.
    queue: createConsumerRedis(target),
    // Fail-fast, for readiness and scrapes, so they never queue behind an outage.
    probe: createProducerRedis(target),
  };
  // Started before the queue handles exist (they would start it themselves);
  // not awaited: readiness answers 503 until Redis is there, the worker waits for it.
  redis.probe.connect().catch((error: unknown) => logger.warn({ err: error }, 'redis not reachable yet'));
  const prisma = createPrismaClient({ databaseUrl: config.database.DATABASE_URL, poolSize: config.database.DATABASE_POOL_SIZE });

  const registry = createMetricsRegistry('worker');
  const metrics = createWorkerMetrics(registry);
  const countedQueues = catalog.map((record) => openQueue(record, { connection: redis.probe, prefix }));
  registerQueueDepth(registry, countedQueues, PROBE_TIMEOUT_MS);
  const { probeDatabase, persister } = createPersistence(prisma, settings, metrics);
  const deadLetters = openQueue(deadLetterQueue, { connection: redis.queue, prefix });
  // Where unpacked intake batches go, one job per callback.
  const inbound = openQueue(inboundQueue, { connection: redis.queue, prefix });
  const policy = { attempts: config.redis.QUEUE_JOB_ATTEMPTS };
  const outbound = createOutbound(config, redis.queue, registry, logger);
  const media = createMedia(config, prisma, registry, redis.queue);
  const consumers = openConsumers(
    {
      settings: {
        connection: redis.worker,
        prefix,
        concurrency: settings.WORKER_CONCURRENCY,
        backoff: { baseMs: settings.WORKER_BACKOFF_BASE_MS, maxMs: settings.WORKER_BACKOFF_MAX_MS },
        stalledIntervalMs: settings.WORKER_STALLED_INTERVAL_MS,
        completedRetention: settings.WORKER_COMPLETED_RETENTION,
      },
      queueConnection: redis.queue,
      addDeadLetter: (letter) => addDeadLetter(deadLetters, letter),
      metrics,
      logger,
    },
    (callbacks) => addInboundJobs(inbound, callbacks, policy),
    { apps: createAppDirectory(config.apps), persist: persister.persist, archiveLater: media.archiveLater },
    { ...outbound.processorDeps, prisma },
    { ...media.processorDeps, apps: outbound.processorDeps.apps, wechat: outbound.processorDeps.wechat, prisma },
  );
  const orphanSweep = createPeriodicSweep({
    name: 'replies without a job',
    sweep: () => addMissingReplyJobs({ prisma, apps: outbound.processorDeps.apps, queue: outbound.queue, policy }),
    onSwept: (added) => logger.warn({ added }, 'added the missing jobs of queued replies'),
    intervalMs: ORPHAN_AGE_MS,
    logger,
  });

  const opsApp = createOpsApp({
    registry,
    isShuttingDown: shutdown.isShuttingDown,
    checks: [
      { name: 'redis', check: async () => (await redis.probe.ping()) === 'PONG' },
      { name: 'database', check: probeDatabase },
    ],
  });
  // The ops port keeps answering (readyz 503, metrics) while in-flight jobs finish.
  const server = createServer(opsApp);
  const port = await listen(server, overrides.port ?? settings.WORKER_PORT);

  // Readiness is 503 from the first signal on; then, in this order:
  shutdown.register({
    name: 'worker',
    run: async () => {
      // Rows of in-flight jobs go out now instead of after the batch wait.
      persister.sendWithoutWaiting();
      await Promise.all([orphanSweep.stop(), ...consumers.map((consumer) => consumer.stop())]);
      await persister.flush();
      await Promise.all([
        deadLetters.close(),
        inbound.close(),
        outbound.queue.close(),
        media.queue.close(),
        ...consumers.map((consumer) => consumer.close()),
        ...countedQueues.map((queue) => queue.close()),
      ]);
    },
  });
  shutdown.register({ name: 'http server', run: () => closeServer(server) });
  shutdown.register({ name: 'database', run: () => prisma.$disconnect() });
  shutdown.register({ name: 'media store', run: () => Promise.resolve(media.processorDeps.store.close()) });
  shutdown.register({
    name: 'redis',
    run: async () => {
      await Promise.all([redis.worker.quit(), redis.queue.quit(), redis.probe.quit()]);
    },
  });

  orphanSweep.start();
  Promise.all(consumers.map((consumer) => consumer.run())).catch((error: unknown) => {
    logger.fatal({ err: error }, 'worker stopped unexpectedly');
    void shutdown.shutdown('worker failure');
  });
  logger.info({ port, prefix, concurrency: settings.WORKER_CONCURRENCY }, 'worker started');
  return { port, shutdown, workers: consumers.map((consumer) => consumer.worker), registry };
}

/** The batched persister, and the shared, bounded database probe that it and readiness ask. */
function createPersistence(prisma: PrismaClient, settings: WorkerConfig['worker'], metrics: WorkerMetrics) {
  const probeDatabase = createDatabaseProbe(async () => {
    await checkDatabase(prisma);
    return true;
  }, PROBE_TIMEOUT_MS);
  const persister = createMessagePersister({
    insert: (rows) => insertMessages(prisma, rows),
    probe: probeDatabase,
    // A batch can never hold more rows than there are jobs in flight.
    maxBatchSize: Math.min(settings.WORKER_BATCH_SIZE, settings.WORKER_CONCURRENCY),
    maxWaitMs: settings.WORKER_BATCH_MAX_WAIT_MS,
    insertTimeoutMs: INSERT_TIMEOUT_MS,
    observer: metrics,
  });
  return { probeDatabase, persister };
}

/** What openConsumers gives the outbound processor besides what every processor gets. */
type OutboundWiring = Pick<OutboundProcessorDeps, 'prisma' | 'apps' | 'wechat' | 'tokens' | 'claimTimeoutMs'> & { readonly metrics: OutboundMetrics };

/**
 * WeChat's server API for every app with an AppSecret: one client whose
 * token store shares each app's token through Redis with every replica and
 * the support app (keys under sharedTokenPrefix(QUEUE_PREFIX)), the outbound
 * processor's dependencies, and a producer handle on the outbound queue for
 * the sweep of replies whose job was never added.
 */
function createOutbound(config: WorkerConfig, redis: RedisConnection, registry: Registry, logger: Logger) {
  const prefix = config.redis.QUEUE_PREFIX;
  const apps = createSendingApps(config.apps);
  for (const name of apps.inboundOnly) logger.info({ app: name }, 'app has no AppSecret: inbound only, its replies fail');
  const metrics = createOutboundMetrics(registry, apps.names);
  const wechat = createWechatApi({
    redis,
    prefix: sharedTokenPrefix(prefix),
    baseUrl: config.wechatApi.WECHAT_API_BASE_URL,
    timeoutMs: config.wechatApi.WECHAT_API_TIMEOUT_MS,
    fetch: (input, init) => fetch(input, init),
    onTokenFetch: metrics.tokenFetched,
  });
  return {
    queue: openQueue(outboundQueue, { connection: redis, prefix }),
    processorDeps: { apps, wechat: wechat.client, tokens: wechat.tokens, claimTimeoutMs: claimTimeoutFor(wechat.longestCallMs), metrics },
  };
}

/** What openConsumers gives the media processor besides what every processor gets. */
type MediaWiring = Pick<MediaProcessorDeps, 'prisma' | 'apps' | 'wechat' | 'store' | 'maxBytes'> & {
  readonly metrics: MediaMetrics;
  readonly concurrency: number;
};

/**
 * The image archive: the configured store, its metrics (the age of the
 * oldest pending image read from PostgreSQL at scrape time), and a producer
 * handle on the media queue for the inbound processor, which adds an
 * image's job once its message is stored.
 */
function createMedia(config: WorkerConfig, prisma: PrismaClient, registry: Registry, redis: RedisConnection) {
  const queue = openQueue(mediaQueue, { connection: redis, prefix: config.redis.QUEUE_PREFIX });
  const policy = { attempts: config.redis.QUEUE_JOB_ATTEMPTS };
  const metrics = createMediaMetrics(registry, {
    appNames: config.apps.map((app) => app.name),
    oldestPending: async () => {
      const byAppId = await oldestPendingArchives(prisma);
      return new Map(config.apps.flatMap((app) => (byAppId.has(app.appId) ? [[app.name, byAppId.get(app.appId) as Date] as const] : [])));
    },
    timeoutMs: PROBE_TIMEOUT_MS,
  });
  const store: MediaStore = createMediaStore(config.media);
  return {
    queue,
    archiveLater: (image: { readonly app: string; readonly mediaId: string }) => addMediaArchiveJobs(queue, [image], policy),
    processorDeps: { store, maxBytes: config.media.MEDIA_MAX_BYTES, metrics, concurrency: config.worker.MEDIA_ARCHIVE_CONCURRENCY },
  };
}

/**
 * One entry per consumed queue: its catalog record and its processor. A new
 * queue is a record in the catalog, a processor file, and an entry here.
 */
function openConsumers(
  deps: ConsumerDeps,
  addInboundCallbacks: (callbacks: readonly InboundCallback[]) => Promise<unknown>,
  inbound: Pick<InboundProcessorDeps, 'apps' | 'persist' | 'archiveLater'>,
  outbound: OutboundWiring,
  media: MediaWiring,
): Consumer[] {
  const { addDeadLetter, metrics, logger } = deps;
  return [
    consume(intakeQueue, () => createIntakeProcessor({ addInboundJobs: addInboundCallbacks, addDeadLetter, maxStalls: MAX_STALLED_COUNT, metrics, logger }), deps),
    consume(
      inboundQueue,
      (queue) =>
        createInboundProcessor({
          ...inbound,
          addDeadLetter,
          outage: createOutageGuard({ rateLimit: (ms) => queue.rateLimit(ms), backoff: deps.settings.backoff, logger }),
          maxStalls: MAX_STALLED_COUNT,
          metrics,
          logger,
        }),
      deps,
    ),
    consume(
      outboundQueue,
      (queue) =>
        createOutboundProcessor({
          ...outbound,
          metrics: { ...outbound.metrics, deadLettered: metrics.deadLettered },
          addDeadLetter,
          outage: createOutageGuard({ rateLimit: (ms) => queue.rateLimit(ms), backoff: deps.settings.backoff, logger }),
          maxStalls: MAX_STALLED_COUNT,
          logger,
        }),
      deps,
    ),
    consume(
      mediaQueue,
      (queue) =>
        createMediaProcessor({
          ...media,
          metrics: { ...media.metrics, deadLettered: metrics.deadLettered },
          addDeadLetter,
          outage: createOutageGuard({ rateLimit: (ms) => queue.rateLimit(ms), backoff: deps.settings.backoff, logger }),
          maxStalls: MAX_STALLED_COUNT,
          logger,
        }),
      // Each archive may hold an image in memory: fewer at once than callbacks.
      { ...deps, settings: { ...deps.settings, concurrency: media.concurrency } },
    ),
  ];
}

if (isEntryPoint(import.meta.url)) {
  void runService({
    name: 'worker',
    loadConfig: loadWorkerConfig,
    logLevel: (config) => config.common.LOG_LEVEL,
    start: startWorker,
  });
}
