import type { WechatAppConfig, WorkerConfig } from '@wxcs/config';
import { checkDatabase, insertMessages, type PrismaClient } from '@wxcs/db';
import type { Logger } from '@wxcs/logger';
import { addDeadLetter, catalog, deadLetterQueue, inboundQueue, openQueue, type CatalogQueue, type DeadLetter, type QueueRecord, type Redis } from '@wxcs/queue';
import { createOpsApp } from '@wxcs/service';
import { createAppDirectory } from '@wxcs/wechat';
import type { Express } from 'express';
import type { Registry } from 'prom-client';
import { registerQueueDepth } from './metrics/queue-depth.js';
import { createWorkerMetrics, type WorkerMetrics } from './metrics/worker-metrics.js';
import { createDatabaseProbe } from './persist/database-probe.js';
import { createMessagePersister } from './persist/message-persister.js';
import { rescueFailedJobs } from './processors/failed-job-rescue.js';
import { createFailedJobSweeper, type FailedJobSweeper } from './processors/failed-job-sweeper.js';
import { createInboundProcessor } from './processors/inbound-processor.js';
import { createOutageGuard } from './processors/outage-guard.js';
import { MAX_STALLED_COUNT, createQueueWorker, type QueueProcessor, type QueueWorker, type QueueWorkerSettings } from './queue-worker.js';

const PROBE_TIMEOUT_MS = 2_000;
/** A hung database must not hold jobs forever; a late commit is absorbed by deduplication. */
const INSERT_TIMEOUT_MS = 15_000;
/** How often BullMQ's failed set is emptied into the dead letters (it should hold nothing; see rescueFailedJobs). */
const FAILED_JOB_SWEEP_INTERVAL_MS = 60_000;

export interface WorkerServiceDeps {
  readonly settings: WorkerConfig['worker'];
  readonly prefix: string;
  readonly apps: readonly WechatAppConfig[];
  readonly logger: Logger;
  readonly registry: Registry;
  readonly prisma: PrismaClient;
  readonly redis: {
    /** Consumer connection for the BullMQ workers. */
    readonly worker: Redis;
    /** Consumer connection for dead letters, outage pauses and failed-set sweeps: they wait through a Redis blip. */
    readonly queue: Redis;
    /** Fail-fast connection for readiness and scrapes, so they never queue behind an outage. */
    readonly probe: Redis;
  };
  readonly isShuttingDown: () => boolean;
}

export interface WorkerService {
  /** One per consumed queue of the catalog. */
  readonly workers: readonly QueueWorker[];
  readonly app: Express;
  /** Starts consuming, and sweeping the failed sets into the dead letters; resolves when the workers stop. */
  readonly run: () => Promise<void>;
  /** In-flight jobs finish, their rows are flushed at once (not after the batch wait), queues close. */
  readonly stop: () => Promise<void>;
}

/** A queue this worker consumes: its BullMQ Worker, and the sweeper that dead-letters what BullMQ failed by itself. */
interface Consumer {
  readonly worker: QueueWorker;
  readonly sweeper: FailedJobSweeper;
  readonly close: () => Promise<void>;
}

interface ConsumerDeps {
  readonly settings: QueueWorkerSettings;
  readonly queueConnection: Redis;
  readonly addDeadLetter: (letter: DeadLetter) => Promise<unknown>;
  readonly metrics: WorkerMetrics;
  readonly logger: Logger;
}

/**
 * Runs the processor `createProcessor` makes on the queue of `record`; every
 * consumed queue gets the same settings, failed-set sweeper and logging. The
 * processor gets a handle on its queue (e.g. to pause fetching with `rateLimit`).
 */
function consume<Result>(record: QueueRecord<unknown>, createProcessor: (queue: CatalogQueue) => QueueProcessor<Result>, deps: ConsumerDeps): Consumer {
  const { logger } = deps;
  const queue = openQueue(record, { connection: deps.queueConnection, prefix: deps.settings.prefix });
  const worker = createQueueWorker(record, createProcessor(queue), deps.settings);
  const sweeper = createFailedJobSweeper({
    rescue: () => rescueFailedJobs({ queue, addDeadLetter: deps.addDeadLetter, metrics: deps.metrics, logger }),
    intervalMs: FAILED_JOB_SWEEP_INTERVAL_MS,
    logger,
  });
  worker.on('error', (error) => logger.error({ err: error, queue: record.name }, 'worker error'));
  worker.on('stalled', (jobId) => logger.warn({ queue: record.name, jobId }, 'job stalled, back to wait'));
  return { worker: worker as QueueWorker, sweeper, close: () => queue.close() };
}

/** Wires the pipeline on connections the caller owns (and closes). Nothing runs until `run()`. */
export function createWorkerService(deps: WorkerServiceDeps): WorkerService {
  const { settings, prefix, logger, prisma, redis } = deps;
  const deadLetters = openQueue(deadLetterQueue, { connection: redis.queue, prefix });
  const countedQueues = catalog.map((record) => openQueue(record, { connection: redis.probe, prefix }));
  const metrics = createWorkerMetrics(deps.registry);
  registerQueueDepth(deps.registry, countedQueues, PROBE_TIMEOUT_MS);
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
  const backoff = { baseMs: settings.WORKER_BACKOFF_BASE_MS, maxMs: settings.WORKER_BACKOFF_MAX_MS };
  const toDeadLetters = (letter: DeadLetter) => addDeadLetter(deadLetters, letter);
  const consumerDeps: ConsumerDeps = {
    settings: {
      connection: redis.worker,
      prefix,
      concurrency: settings.WORKER_CONCURRENCY,
      backoff,
      stalledIntervalMs: settings.WORKER_STALLED_INTERVAL_MS,
      completedRetention: settings.WORKER_COMPLETED_RETENTION,
    },
    queueConnection: redis.queue,
    addDeadLetter: toDeadLetters,
    metrics,
    logger,
  };

  // One line per consumed queue: its catalog record and its processor.
  const consumers = [
    consume(
      inboundQueue,
      (queue) =>
        createInboundProcessor({
          apps: createAppDirectory(deps.apps),
          persist: persister.persist,
          addDeadLetter: toDeadLetters,
          outage: createOutageGuard({ rateLimit: (ms) => queue.rateLimit(ms), backoff, logger }),
          maxStalls: MAX_STALLED_COUNT,
          metrics,
          logger,
        }),
      consumerDeps,
    ),
  ];

  const app = createOpsApp({
    registry: deps.registry,
    isShuttingDown: deps.isShuttingDown,
    checks: [
      { name: 'redis', check: async () => (await redis.probe.ping()) === 'PONG' },
      { name: 'database', check: probeDatabase },
    ],
  });

  return {
    workers: consumers.map(({ worker }) => worker),
    app,
    run: async () => {
      for (const { sweeper } of consumers) sweeper.start();
      await Promise.all(consumers.map(({ worker }) => worker.run()));
    },
    stop: async () => {
      persister.sendWithoutWaiting();
      await Promise.all(consumers.flatMap(({ worker, sweeper }) => [worker.close(), sweeper.stop()]));
      await persister.flush();
      await Promise.all([deadLetters.close(), ...consumers.map((consumer) => consumer.close()), ...countedQueues.map((queue) => queue.close())]);
    },
  };
}
