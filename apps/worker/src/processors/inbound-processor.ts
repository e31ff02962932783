import { archivableMediaOf, DatabaseUnavailableError, type InsertOutcome, type NewCustomerMessage } from '@wxcs/db';
import type { Logger } from '@wxcs/logger';
import { inboundQueue, payloadApp, type DeadLetter, type InboundCallback } from '@wxcs/queue';
import type { AppDirectory } from '@wxcs/wechat';
import { RateLimitError, type Job } from 'bullmq';
import type { WorkerMetrics } from '../metrics/worker-metrics.js';
import { buildDeadLetter, firstAttemptOf, sourceJobIdOf } from './dead-letter.js';
import {
  describeExhaustedFailure,
  describePermanentFailure,
  describeRepeatedStalls,
  errorNameOf,
  type FailureDescription,
} from './failures.js';
import type { OutageGuard } from './outage-guard.js';
import { prepareMessage, readCallback } from './prepare-message.js';

export interface InboundResult {
  readonly outcome: InsertOutcome | 'dead-lettered';
  readonly dedupKey?: string;
  /** Dead-letter code, when dead-lettered. */
  readonly code?: string;
}

export type InboundJob = Job<unknown, InboundResult, string>;

export interface InboundProcessorDeps {
  readonly apps: AppDirectory;
  readonly persist: (row: NewCustomerMessage) => Promise<InsertOutcome>;
  /**
   * Adds the archive job of an image the stored message carries (idempotent
   * per image). Called for duplicates too: the attempt that stored the
   * message may have died before adding it.
   */
  readonly archiveLater: (image: { readonly app: string; readonly mediaId: string }) => Promise<unknown>;
  /** Durable (Redis) and idempotent per source job. */
  readonly addDeadLetter: (letter: DeadLetter) => Promise<unknown>;
  readonly outage: OutageGuard;
  /**
   * A job found stalled this many times (every worker that ran it died or
   * stopped renewing its lock) is dead-lettered instead of run again. Below
   * BullMQ's own limit, past which it would fail the job into its failed set
   * without calling us, out of reach of the dead-letter tools.
   */
  readonly maxStalls: number;
  readonly metrics: WorkerMetrics;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/**
 * One inbound callback → one stored message. Permanent failures and the last
 * attempt of a transient one are dead-lettered here, before the job
 * completes, so the callback is never only in BullMQ's failed set.
 */
export function createInboundProcessor(deps: InboundProcessorDeps) {
  const now = deps.now ?? (() => new Date());

  async function deadLetter(job: InboundJob, failure: FailureDescription, kind: DeadLetter['kind']) {
    const attemptsMade = job.attemptsMade + 1;
    const letter = buildDeadLetter({
      origin: inboundQueue.name,
      payload: job.data,
      failure,
      kind,
      attemptsMade,
      sourceJobId: sourceJobIdOf(job),
      firstAttemptAt: firstAttemptOf(job),
      failedAt: now(),
    });
    await deps.addDeadLetter(letter);
    deps.metrics.deadLettered(kind, failure.code);
    deps.metrics.jobDone('dead-lettered');
    deps.logger.warn({ jobId: job.id, app: payloadApp(job.data), code: failure.code, kind, attemptsMade }, 'dead-lettered');
    return { outcome: 'dead-lettered', code: failure.code } satisfies InboundResult;
  }

  async function settleFailure(job: InboundJob, error: unknown): Promise<InboundResult> {
    const permanent = describePermanentFailure(error);
    if (permanent !== undefined) return deadLetter(job, permanent, 'permanent');
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
      return deadLetter(job, describeExhaustedFailure(error), 'exhausted');
    }
    await rememberFirstAttempt(job, deps.logger);
    deps.metrics.retried('transient');
    deps.logger.warn({ jobId: job.id, err: error, attemptsMade: job.attemptsMade + 1 }, 'attempt failed, will retry');
    throw error;
  }

  return async function processInbound(job: InboundJob): Promise<InboundResult> {
    let callback: InboundCallback;
    try {
      callback = readCallback(job.data);
    } catch (error) {
      return settleFailure(job, error);
    }
    if (job.stalledCounter >= deps.maxStalls) {
      return deadLetter(job, describeRepeatedStalls(job.stalledCounter), 'exhausted');
    }
    let row: NewCustomerMessage;
    try {
      row = prepareMessage(callback, deps.apps).row;
    } catch (error) {
      return settleFailure(job, error);
    }
    try {
      const outcome = await deps.persist(row);
      deps.outage.recovered();
      const image = archivableMediaOf(row);
      // The job completes only once the image's job is added: a failed add retries the callback, which stores nothing twice.
      if (image?.usable) await deps.archiveLater({ app: callback.app, mediaId: image.mediaId });
      deps.metrics.jobDone(outcome);
      deps.logger.debug({ jobId: job.id, app: callback.app, msgId: row.msgId, outcome }, 'persisted');
      return { outcome, dedupKey: row.dedupKey };
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) {
        deps.metrics.retried('database_unavailable');
        // Without the pause the job is still put back; it only comes round sooner.
        await deps.outage.pauseFetching().catch((pauseError: unknown) => {
          deps.logger.warn({ err: pauseError }, 'could not pause fetching');
        });
        // Back to the wait list without spending an attempt (BullMQ's manual rate limit).
        throw new RateLimitError();
      }
      return settleFailure(job, error);
    }
  };
}

async function rememberFirstAttempt(job: InboundJob, logger: Logger): Promise<void> {
  if (job.attemptsMade > 0 || job.processedOn === undefined) return;
  try {
    await job.updateProgress({ firstAttemptAt: new Date(job.processedOn).toISOString() });
  } catch (error) {
    // Only the dead letter's firstAttemptAt depends on it; never fail the retry over it.
    logger.warn({ jobId: job.id, err: error, errorName: errorNameOf(error) }, 'could not record first attempt time');
  }
}
