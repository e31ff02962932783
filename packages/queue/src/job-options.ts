/** Backoff type the worker implements as exponential growth with full jitter. */
export const JITTERED_BACKOFF = 'exponential-jitter';

/** What producers of one deployment share about a job: `QUEUE_JOB_ATTEMPTS`. */
export interface JobPolicy {
  readonly attempts: number;
}

/**
 * Failed jobs are bounded by count and age on the job itself. The worker
 * dead-letters every job it gives up on, so only jobs BullMQ fails by itself
 * reach the failed set; the worker copies those to the dead letters and
 * removes them within a minute, and the bound is a backstop. Completed jobs
 * carry no retention of their own: the worker trims them
 * (`WORKER_COMPLETED_RETENTION`), which also leaves each job less for Redis
 * to store and read (docs/benchmarks.md).
 */
export const FAILED_JOB_RETENTION = { count: 1_000, age: 7 * 24 * 3_600 } as const;

export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * "Full jitter" exponential backoff: spreads retries of replicas that failed
 * together (a database restart) instead of having them stampede back at once.
 */
export function jitteredBackoffDelay(attemptsMade: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(policy.baseMs / 2 + random() * (ceiling - policy.baseMs / 2));
}
