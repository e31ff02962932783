import type { Logger } from '@wxcs/logger';
import { openQueue, type CatalogQueue, type DeadLetter, type QueueRecord, type RedisConnection } from '@wxcs/queue';
import type { WorkerMetrics } from './metrics/worker-metrics.js';
import { rescueFailedJobs } from './processors/failed-job-rescue.js';
import { createFailedJobSweeper } from './processors/failed-job-sweeper.js';
import { createQueueWorker, type QueueProcessor, type QueueWorker, type QueueWorkerSettings } from './queue-worker.js';

/** How often BullMQ's failed set is emptied into the dead letters (it should hold nothing; see rescueFailedJobs). */
const FAILED_JOB_SWEEP_INTERVAL_MS = 60_000;

/** A queue this worker consumes: its BullMQ Worker, and the sweeper that dead-letters what BullMQ failed by itself. */
export interface Consumer {
  readonly worker: QueueWorker;
  /** Sweeps the failed set now and every minute, and consumes; resolves when the worker stops. */
  readonly run: () => Promise<void>;
  /** In-flight jobs finish, nothing new is fetched, the sweeper stops. */
  readonly stop: () => Promise<void>;
  /** Closes the queue handle; after `stop`, once nothing needs it. */
  readonly close: () => Promise<void>;
}

export interface ConsumerDeps {
  readonly settings: QueueWorkerSettings;
  /** Consumer connection for the queue handle (dead letters, outage pauses, sweeps): they wait through a Redis blip. */
  readonly queueConnection: RedisConnection;
  readonly addDeadLetter: (letter: DeadLetter) => Promise<unknown>;
  readonly metrics: WorkerMetrics;
  readonly logger: Logger;
}

/**
 * Runs the processor `createProcessor` makes on the queue of `record`; every
 * consumed queue gets the same settings, failed-set sweeper and logging. The
 * processor gets a handle on its queue (e.g. to pause fetching with `rateLimit`).
 */
export function consume<Result>(record: QueueRecord<unknown>, createProcessor: (queue: CatalogQueue) => QueueProcessor<Result>, deps: ConsumerDeps): Consumer {
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
  return {
    worker: worker as QueueWorker,
    run: () => {
      sweeper.start();
      return worker.run();
    },
    stop: async () => {
      await Promise.all([worker.close(), sweeper.stop()]);
    },
    close: () => queue.close(),
  };
}
