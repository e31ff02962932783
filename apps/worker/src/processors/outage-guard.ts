import type { Logger } from '@wxcs/logger';
import { jitteredBackoffDelay, type BackoffPolicy } from '@wxcs/queue';

/** Longest single pause: the worker notices a recovered database at most this late. */
export const MAX_OUTAGE_PAUSE_MS = 10_000;

export interface OutageGuard {
  /** Stops this worker fetching jobs for a while; concurrent callers within one pause share it. */
  readonly pauseFetching: () => Promise<void>;
  /** A row was stored: the outage, if any, is over. */
  readonly recovered: () => void;
}

export interface OutageGuardOptions {
  /** `Queue.rateLimit`: sets the queue's limiter key; a worker whose job then throws `RateLimitError` stops fetching for its TTL. */
  readonly rateLimit: (ms: number) => Promise<void>;
  readonly backoff: BackoffPolicy;
  readonly logger: Logger;
  readonly now?: () => number;
}

/**
 * While PostgreSQL is unreachable, jobs go back to the wait list without
 * spending an attempt and fetching pauses for a jittered, growing interval
 * (capped at MAX_OUTAGE_PAUSE_MS); after each pause a fresh batch probes the
 * database again, so the worker resumes by itself when it returns.
 */
export function createOutageGuard(options: OutageGuardOptions): OutageGuard {
  const now = options.now ?? Date.now;
  const policy = { baseMs: options.backoff.baseMs, maxMs: Math.min(options.backoff.maxMs, MAX_OUTAGE_PAUSE_MS) };
  let streak = 0;
  let pausedUntil = 0;
  let pausing: Promise<void> | undefined;

  async function pause(): Promise<void> {
    streak += 1;
    const delayMs = jitteredBackoffDelay(streak, policy);
    pausedUntil = now() + delayMs;
    options.logger.warn({ streak, delayMs }, 'database unreachable, pausing fetching');
    await options.rateLimit(delayMs);
  }

  return {
    pauseFetching: () => {
      if (pausing !== undefined) return pausing;
      if (now() < pausedUntil) return Promise.resolve();
      pausing = pause().finally(() => {
        pausing = undefined;
      });
      return pausing;
    },
    recovered: () => {
      if (streak === 0) return;
      options.logger.info({ pauses: streak }, 'database reachable again, fetching resumed');
      streak = 0;
      pausedUntil = 0;
    },
  };
}
