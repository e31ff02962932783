import { FAILED_JOB_RETENTION, JITTERED_BACKOFF, jitteredBackoffDelay, type BackoffPolicy, type QueueRecord, type RedisConnection } from '@wxcs/queue';
import { Worker, type Job } from 'bullmq';
import { MAX_OUTAGE_PAUSE_MS } from './processors/outage-guard.js';

/** A job as a processor gets it: its data is whatever a producer added, until the processor checks it against the record's schema. */
export type QueueJob<Result> = Job<unknown, Result, string>;
export type QueueProcessor<Result> = (job: QueueJob<Result>) => Promise<Result>;
export type QueueWorker<Result = unknown> = Worker<unknown, Result, string>;

/** The same for every consumed queue: from the worker's configuration. */
export interface QueueWorkerSettings {
  /** A consumer connection (`maxRetriesPerRequest: null`); BullMQ duplicates it for blocking reads. */
  readonly connection: RedisConnection;
  readonly prefix: string;
  readonly concurrency: number;
  readonly backoff: BackoffPolicy;
  /** How often active jobs are checked for a lost lock (their worker died). */
  readonly stalledIntervalMs: number;
  /** `WORKER_COMPLETED_RETENTION`: completed jobs kept; producers set no retention of their own. */
  readonly completedRetention: number;
}

/**
 * How many times a job may be found without a live lock (its worker was
 * SIGKILLed, OOM-killed or blocked past the lock) and still go back to wait.
 * Reruns are harmless (deduplication), so this is generous. A job that
 * reaches it is dead-lettered by the processor on its next pickup (see
 * `maxStalls`); BullMQ would otherwise fail it one stall later without
 * calling the processor, into its failed set, which rescueFailedJobs then
 * empties into the dead letters.
 */
export const MAX_STALLED_COUNT = 5;

/** No completed job outlives this, however few there are. */
const COMPLETED_MAX_AGE_SECONDS = 3_600;

/**
 * A BullMQ Worker running `processor` on the queue of `record`. Created
 * paused (`autorun: false`): the service calls `run()` once everything else
 * is wired.
 */
export function createQueueWorker<Result>(record: QueueRecord<unknown>, processor: QueueProcessor<Result>, settings: QueueWorkerSettings): QueueWorker<Result> {
  return new Worker<unknown, Result, string>(record.name, processor, {
    connection: settings.connection,
    prefix: settings.prefix,
    autorun: false,
    concurrency: settings.concurrency,
    // A lock lasts one stalled interval and is renewed at half of it, so a
    // dead worker's jobs are back in wait within about two intervals.
    lockDuration: settings.stalledIntervalMs,
    stalledInterval: settings.stalledIntervalMs,
    maxStalledCount: MAX_STALLED_COUNT,
    // Producers leave completed-job retention to the consumer, so this bound is the one that applies.
    removeOnComplete: { count: settings.completedRetention, age: COMPLETED_MAX_AGE_SECONDS },
    // The record's job options bound failed jobs too; this covers a job added without them.
    removeOnFail: FAILED_JOB_RETENTION,
    // A database outage pauses fetching through the queue's limiter key (see
    // processors/outage-guard.ts); never sit idle longer than the longest pause.
    maximumRateLimitDelay: MAX_OUTAGE_PAUSE_MS,
    settings: {
      backoffStrategy: (attemptsMade: number, type?: string) => {
        if (type !== JITTERED_BACKOFF) throw new Error(`unknown backoff type ${String(type)}`);
        return jitteredBackoffDelay(attemptsMade, settings.backoff);
      },
    },
  });
}
