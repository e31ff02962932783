import type { JobsOptions } from 'bullmq';

/** Backoff type the worker implements as exponential growth with full jitter. */
export const JITTERED_BACKOFF = 'exponential-jitter';

export interface InboundJobPolicy {
  readonly attempts: number;
}

/**
 * Completed jobs are trimmed by count and age so Redis memory stays flat.
 * The worker dead-letters every job it gives up on, so only jobs BullMQ
 * fails by itself reach the failed set; the worker copies those to the dead
 * letters and removes them within a minute, and the bound is a backstop.
 */
export function inboundJobOptions(policy: InboundJobPolicy): JobsOptions {
  return {
    attempts: policy.attempts,
    backoff: { type: JITTERED_BACKOFF },
    removeOnComplete: { count: 1_000, age: 3_600 },
    removeOnFail: { count: 1_000, age: 7 * 24 * 3_600 },
  };
}

/** Dead letters are kept until an operator acts on them. */
export const deadLetterJobOptions: JobsOptions = {
  attempts: 1,
  removeOnComplete: false,
  removeOnFail: false,
};

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
