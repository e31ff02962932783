import { INBOUND_QUEUE, JITTERED_BACKOFF, jitteredBackoffDelay, type BackoffPolicy, type Redis } from '@wxcs/queue';
import { Worker } from 'bullmq';
import type { InboundJob, InboundResult } from './processors/inbound-processor.js';

export type InboundWorker = Worker<unknown, InboundResult, string>;

export interface InboundWorkerOptions {
  /** A consumer connection (`maxRetriesPerRequest: null`); BullMQ duplicates it for blocking reads. */
  readonly connection: Redis;
  readonly prefix: string;
  readonly processor: (job: InboundJob) => Promise<InboundResult>;
  readonly concurrency: number;
  readonly backoff: BackoffPolicy;
  /** How often active jobs are checked for a lost lock (their worker died). */
  readonly stalledIntervalMs: number;
  /** Completed jobs kept when a job carries no retention of its own (the catalog's options do). */
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

/** Created paused (`autorun: false`): main calls `run()` once everything else is wired. */
export function createInboundWorker(options: InboundWorkerOptions): InboundWorker {
  return new Worker<unknown, InboundResult, string>(INBOUND_QUEUE, options.processor, {
    connection: options.connection,
    prefix: options.prefix,
    autorun: false,
    concurrency: options.concurrency,
    // A lock lasts one stalled interval and is renewed at half of it, so a
    // dead worker's jobs are back in wait within about two intervals.
    lockDuration: options.stalledIntervalMs,
    stalledInterval: options.stalledIntervalMs,
    maxStalledCount: MAX_STALLED_COUNT,
    // Fallbacks only: the catalog's job options carry their own bounds and win.
    removeOnComplete: { count: options.completedRetention, age: 3_600 },
    removeOnFail: { count: 1_000, age: 7 * 24 * 3_600 },
    // A database outage pauses intake through the queue's limiter key (see
    // processors/outage-guard.ts); never sit idle longer than the longest pause.
    maximumRateLimitDelay: 10_000,
    settings: {
      backoffStrategy: (attemptsMade: number, type?: string) => {
        if (type !== JITTERED_BACKOFF) throw new Error(`unknown backoff type ${String(type)}`);
        return jitteredBackoffDelay(attemptsMade, options.backoff);
      },
    },
  });
}
