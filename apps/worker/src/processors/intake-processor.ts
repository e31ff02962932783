import type { Logger } from '@wxcs/logger';
import { intakeQueue, type DeadLetter, type InboundCallback } from '@wxcs/queue';
import type { Job } from 'bullmq';
import type { WorkerMetrics } from '../metrics/worker-metrics.js';
import { jobDeadLetterer } from './dead-letter.js';
import { describeExhaustedFailure, describeRepeatedStalls, errorNameOf, type FailureDescription } from './failures.js';
import { rememberFirstAttempt } from './outbound-progress.js';

export interface IntakeResult {
  readonly outcome: 'unpacked' | 'dead-lettered';
  /** Callbacks in the batch, when unpacked. */
  readonly callbacks?: number;
  /** Dead-letter code, when dead-lettered. */
  readonly code?: string;
}

export type IntakeJob = Job<unknown, IntakeResult, string>;

export interface IntakeProcessorDeps {
  /** One inbound job per callback, under the callback's id: idempotent, so a rerun adds nothing twice. */
  readonly addInboundJobs: (callbacks: readonly InboundCallback[]) => Promise<unknown>;
  /** Durable (Redis) and idempotent per source job. */
  readonly addDeadLetter: (letter: DeadLetter) => Promise<unknown>;
  /** A job found stalled this many times is dead-lettered instead of run again (see the inbound processor). */
  readonly maxStalls: number;
  readonly metrics: Pick<WorkerMetrics, 'deadLettered' | 'retried'>;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/**
 * One intake batch → one inbound job per callback in it. The batch completes
 * only once every inbound job is in Redis, so a worker that dies in between
 * leaves the batch to be unpacked again, which adds nothing twice. Only
 * Redis can fail here: it is retried, and a batch that exhausts its attempts
 * is dead-lettered whole, for a replay that unpacks it again.
 */
export function createIntakeProcessor(deps: IntakeProcessorDeps) {
  const now = deps.now ?? (() => new Date());
  const { logger } = deps;
  const writeDeadLetter = jobDeadLetterer({ origin: intakeQueue.name, addDeadLetter: deps.addDeadLetter, deadLettered: deps.metrics.deadLettered, logger, now });

  async function deadLetter(job: IntakeJob, failure: FailureDescription, kind: DeadLetter['kind']): Promise<IntakeResult> {
    await writeDeadLetter(job, failure, kind);
    return { outcome: 'dead-lettered', code: failure.code };
  }

  return async function processIntake(job: IntakeJob): Promise<IntakeResult> {
    const parsed = intakeQueue.payload.safeParse(job.data);
    if (!parsed.success) {
      return deadLetter(job, { code: 'bad_payload', reason: `job data is not a callback batch: ${parsed.error.message.slice(0, 400)}`, errorName: 'ZodError' }, 'permanent');
    }
    if (job.stalledCounter >= deps.maxStalls) return deadLetter(job, describeRepeatedStalls(job.stalledCounter), 'exhausted');
    const { callbacks } = parsed.data;
    try {
      await deps.addInboundJobs(callbacks);
      return { outcome: 'unpacked', callbacks: callbacks.length };
    } catch (error) {
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) return deadLetter(job, describeExhaustedFailure(error), 'exhausted');
      deps.metrics.retried('transient');
      await rememberFirstAttempt(job, logger);
      logger.warn({ queue: intakeQueue.name, jobId: job.id, err: error, errorName: errorNameOf(error), attemptsMade: job.attemptsMade + 1 }, 'unpacking failed, will retry');
      throw error;
    }
  };
}
