import type { Logger } from '@wxcs/logger';
import type { InboundCallback } from '@wxcs/queue';
import { IntakeUnavailableError, ReplicationShortError } from '../errors.js';
import { TIMED_OUT, raceTimeout } from '@wxcs/service';

/** Where a callback ended up once it was durable. */
export type IntakeOutcome = 'queued' | 'spooled';

/**
 * Why a batch went to the spool: Redis did not answer in time, refused it,
 * was still stalled by an earlier batch, or took it without enough replicas.
 */
export type SpoolReason = 'timeout' | 'rejected' | 'stalled' | 'replicas';

export interface BatchSink {
  readonly addAll: (callbacks: readonly InboundCallback[]) => Promise<void>;
}

export interface BatchSpool {
  readonly append: (callbacks: readonly InboundCallback[]) => Promise<void>;
}

export interface EnqueueBatcherOptions {
  readonly queue: BatchSink;
  readonly spool: BatchSpool;
  /** How long a batch may wait for Redis before it goes to the spool instead. */
  readonly timeoutMs: number;
  readonly maxBatchSize: number;
  readonly logger: Logger;
  /** `reason` is set exactly when the batch was sent to the spool. */
  readonly onBatch?: (size: number, outcome: IntakeOutcome | 'failed', reason?: SpoolReason) => void;
  /** Defers the flush to the end of the current event-loop turn. */
  readonly schedule?: (flush: () => void) => void;
}

export interface EnqueueBatcher {
  /** Resolves once the callback is in Redis or fsynced in the spool; IntakeUnavailableError otherwise. */
  readonly enqueue: (callback: InboundCallback) => Promise<IntakeOutcome>;
  /** Sends what is pending now and waits for every batch in flight to settle. */
  readonly flush: () => Promise<void>;
  /** An add outlived its timeout and has not settled: Redis is stalled. */
  readonly isStalled: () => boolean;
}

interface Pending {
  readonly callback: InboundCallback;
  readonly resolve: (outcome: IntakeOutcome) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Micro-batching: every callback enqueued in the same event-loop turn goes
 * to Redis in one `addAll` (its adds leave together at the end of the turn),
 * and each caller still waits for its own batch. A batch Redis does not confirm within `timeoutMs` (or rejects)
 * is appended to the spool instead. If Redis confirms late, the callback is
 * in both places; the spool drain re-adds it under the same job id, which
 * BullMQ ignores while the job exists.
 *
 * While an add is overdue (timed out, not settled yet), Redis is stalled:
 * new batches go straight to the spool instead of piling more commands and
 * memory onto it, and come back to Redis once the overdue adds settle.
 */
export function createEnqueueBatcher(options: EnqueueBatcherOptions): EnqueueBatcher {
  const { logger } = options;
  const schedule = options.schedule ?? ((flush) => void setImmediate(flush));
  let pending: Pending[] = [];
  let scheduled = false;
  const inFlight = new Set<Promise<void>>();
  let overdue = 0;
  let degraded = false;

  function flush(): void {
    scheduled = false;
    while (pending.length > 0) {
      const batch = pending.length <= options.maxBatchSize ? pending : pending.slice(0, options.maxBatchSize);
      pending = batch === pending ? [] : pending.slice(batch.length);
      const sent = sendBatch(batch).finally(() => inFlight.delete(sent));
      inFlight.add(sent);
    }
  }

  /** Logs only the transitions: an outage would otherwise log every batch. */
  function setDegraded(next: boolean, details: Record<string, unknown>): void {
    if (next === degraded) return;
    degraded = next;
    if (next) logger.warn(details, 'redis not taking callbacks, spooling');
    else logger.info('redis taking callbacks again');
  }

  function trackOverdue(added: Promise<void>): void {
    overdue += 1;
    const settled = () => {
      overdue -= 1;
    };
    added.then(settled, settled);
  }

  async function sendBatch(batch: Pending[]): Promise<void> {
    const callbacks = batch.map((entry) => entry.callback);
    if (overdue > 0) {
      await spoolBatch(batch, callbacks, 'stalled');
      return;
    }
    const added = options.queue.addAll(callbacks);
    const result = await raceTimeout(
      added.then(
        () => undefined,
        (error: unknown) => error ?? new Error('addAll failed'),
      ),
      options.timeoutMs,
    );
    if (result === undefined) {
      setDegraded(false, {});
      settle(batch, 'queued');
      return;
    }
    let reason: SpoolReason;
    if (result === TIMED_OUT) {
      // The add may still succeed: the drain's re-add under the same job id is then a no-op.
      trackOverdue(added);
      reason = 'timeout';
      setDegraded(true, { reason, timeoutMs: options.timeoutMs });
    } else {
      // The master holds these callbacks but may lose them on failover: the spool keeps a copy.
      reason = result instanceof ReplicationShortError ? 'replicas' : 'rejected';
      setDegraded(true, { reason, err: result });
    }
    await spoolBatch(batch, callbacks, reason);
  }

  async function spoolBatch(batch: Pending[], callbacks: InboundCallback[], reason: SpoolReason): Promise<void> {
    try {
      await options.spool.append(callbacks);
      settle(batch, 'spooled', reason);
    } catch (cause) {
      logger.error({ callbacks: batch.length, err: cause }, 'spool append failed, answering 503');
      options.onBatch?.(batch.length, 'failed', reason);
      const error = new IntakeUnavailableError({ cause });
      for (const entry of batch) entry.reject(error);
    }
  }

  function settle(batch: Pending[], outcome: IntakeOutcome, reason?: SpoolReason): void {
    options.onBatch?.(batch.length, outcome, reason);
    for (const entry of batch) entry.resolve(outcome);
  }

  return {
    enqueue: (callback) =>
      new Promise<IntakeOutcome>((resolve, reject) => {
        pending.push({ callback, resolve, reject });
        if (pending.length >= options.maxBatchSize) flush();
        else if (!scheduled) {
          scheduled = true;
          schedule(flush);
        }
      }),
    flush: async () => {
      flush();
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
    isStalled: () => overdue > 0,
  };
}
