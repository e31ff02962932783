import type { WechatAppConfig, WorkerConfig } from '@wxcs/config';
import { checkDatabase, insertMessages, type PrismaClient } from '@wxcs/db';
import type { Logger } from '@wxcs/logger';
import { addDeadLetter, createDeadLetterQueue, createInboundQueue, type DeadLetter, type Redis } from '@wxcs/queue';
import { createOpsApp } from '@wxcs/service';
import type { Express } from 'express';
import type { Registry } from 'prom-client';
import { createAppDirectory } from './app-directory.js';
import { MAX_STALLED_COUNT, createInboundWorker, type InboundWorker } from './inbound-worker.js';
import { registerQueueDepth } from './metrics/queue-depth.js';
import { createWorkerMetrics } from './metrics/worker-metrics.js';
import { createDatabaseProbe } from './persist/database-probe.js';
import { createMessagePersister } from './persist/message-persister.js';
import { rescueFailedJobs } from './processors/failed-job-rescue.js';
import { createFailedJobSweeper } from './processors/failed-job-sweeper.js';
import { createInboundProcessor } from './processors/inbound-processor.js';
import { createOutageGuard } from './processors/outage-guard.js';

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
    /** Consumer connection for the BullMQ worker. */
    readonly worker: Redis;
    /** Consumer connection for dead letters and outage pauses: they wait through a Redis blip. */
    readonly queue: Redis;
    /** Fail-fast connection for readiness and scrapes, so they never queue behind an outage. */
    readonly probe: Redis;
  };
  readonly isShuttingDown: () => boolean;
}

export interface WorkerService {
  readonly worker: InboundWorker;
  readonly app: Express;
  /** Starts consuming, and sweeping the failed set into the dead letters; resolves when the worker stops. */
  readonly run: () => Promise<void>;
  /** In-flight jobs finish, their rows are flushed at once (not after the batch wait), queues close. */
  readonly stop: () => Promise<void>;
}

/** Wires the pipeline on connections the caller owns (and closes). Nothing runs until `run()`. */
export function createWorkerService(deps: WorkerServiceDeps): WorkerService {
  const { settings, prefix, logger, prisma, redis } = deps;
  const inbound = createInboundQueue({ connection: redis.queue, prefix });
  const deadLetters = createDeadLetterQueue({ connection: redis.queue, prefix });
  const countedQueues = [createInboundQueue({ connection: redis.probe, prefix }), createDeadLetterQueue({ connection: redis.probe, prefix })];
  const metrics = createWorkerMetrics(deps.registry);
  registerQueueDepth(deps.registry, countedQueues, PROBE_TIMEOUT_MS);
  const probeDatabase = createDatabaseProbe(async () => {
    await checkDatabase(prisma, { timeoutMs: PROBE_TIMEOUT_MS });
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
  const processor = createInboundProcessor({
    apps: createAppDirectory(deps.apps),
    persist: persister.persist,
    addDeadLetter: toDeadLetters,
    outage: createOutageGuard({ rateLimit: (ms) => inbound.rateLimit(ms), backoff, logger }),
    maxStalls: MAX_STALLED_COUNT,
    metrics,
    logger,
  });
  const worker = createInboundWorker({
    connection: redis.worker,
    prefix,
    processor,
    concurrency: settings.WORKER_CONCURRENCY,
    backoff,
    stalledIntervalMs: settings.WORKER_STALLED_INTERVAL_MS,
    completedRetention: settings.WORKER_COMPLETED_RETENTION,
  });
  const sweeper = createFailedJobSweeper({
    rescue: () => rescueFailedJobs({ inbound, addDeadLetter: toDeadLetters, metrics, logger }),
    intervalMs: FAILED_JOB_SWEEP_INTERVAL_MS,
    logger,
  });
  worker.on('error', (error) => logger.error({ err: error }, 'worker error'));
  worker.on('stalled', (jobId) => logger.warn({ jobId }, 'job stalled, back to wait'));

  const app = createOpsApp({
    registry: deps.registry,
    isShuttingDown: deps.isShuttingDown,
    checks: [
      { name: 'redis', check: async () => (await redis.probe.ping()) === 'PONG' },
      { name: 'database', check: probeDatabase },
    ],
  });

  return {
    worker,
    app,
    run: () => {
      sweeper.start();
      return worker.run();
    },
    stop: async () => {
      persister.closeIntake();
      await Promise.all([worker.close(), sweeper.stop()]);
      await persister.flush();
      await Promise.all([inbound.close(), deadLetters.close(), ...countedQueues.map((queue) => queue.close())]);
    },
  };
}
