import type { DeadLetter } from '@wxcs/queue';
import type { FailureDescription } from './failures.js';

/** Kept in the job's progress so the dead letter of an exhausted job can say when it was first tried. */
interface AttemptProgress {
  readonly firstAttemptAt?: string;
}

/** When a job was first tried: recorded in its progress by a failed attempt, or this first attempt's start. */
export function firstAttemptOf(job: { readonly progress: unknown; readonly attemptsMade: number; readonly processedOn?: number }): Date | null {
  const recorded = (job.progress as AttemptProgress | undefined)?.firstAttemptAt;
  if (typeof recorded === 'string') return new Date(recorded);
  if (job.attemptsMade === 0 && job.processedOn !== undefined) return new Date(job.processedOn);
  return null;
}

/** BullMQ always gives a job it hands out an id; the fallback only satisfies the type. */
export function sourceJobIdOf(job: { readonly id?: string; readonly queueName: string; readonly timestamp: number }): string {
  return job.id ?? `${job.queueName}@${job.timestamp}`;
}

export interface DeadLetterInput {
  /** The queue the job came from. */
  readonly origin: string;
  /** The job's data as it was, valid or not. */
  readonly payload: unknown;
  readonly failure: FailureDescription;
  readonly kind: DeadLetter['kind'];
  /** Attempts including the one that just failed. */
  readonly attemptsMade: number;
  readonly sourceJobId: string;
  readonly firstAttemptAt: Date | null;
  readonly failedAt: Date;
}

export function buildDeadLetter(input: DeadLetterInput): DeadLetter {
  return {
    v: 2,
    origin: input.origin,
    payload: input.payload,
    reason: input.failure.reason,
    code: input.failure.code,
    kind: input.kind,
    errorName: input.failure.errorName,
    attemptsMade: input.attemptsMade,
    sourceJobId: input.sourceJobId,
    firstAttemptAt: input.firstAttemptAt?.toISOString() ?? null,
    failedAt: input.failedAt.toISOString(),
  };
}

/** The parts of a BullMQ job a dead letter is made of. */
export interface DeadLetteredJob {
  readonly id?: string;
  readonly queueName: string;
  readonly timestamp: number;
  readonly data: unknown;
  readonly attemptsMade: number;
  readonly progress: unknown;
  readonly processedOn?: number;
}

export interface JobDeadLetterDeps {
  /** The queue the processor consumes: the letter's origin, where a replay puts it back. */
  readonly origin: string;
  /** Durable (Redis) and idempotent per source job. */
  readonly addDeadLetter: (letter: DeadLetter) => Promise<unknown>;
  readonly deadLettered: (kind: DeadLetter['kind'], code: string) => void;
  readonly logger: { warn: (fields: object, message: string) => void };
  readonly now: () => Date;
}

/**
 * A processor's way to dead-letter the job it is running, in the attempt
 * that gives up on it: the letter (with the attempt counted), the metric and
 * the log line.
 */
export function jobDeadLetterer(deps: JobDeadLetterDeps) {
  return async (job: DeadLetteredJob, failure: FailureDescription, kind: DeadLetter['kind']): Promise<void> => {
    await deps.addDeadLetter(
      buildDeadLetter({
        origin: deps.origin,
        payload: job.data,
        failure,
        kind,
        attemptsMade: job.attemptsMade + 1,
        sourceJobId: sourceJobIdOf(job),
        firstAttemptAt: firstAttemptOf(job),
        failedAt: deps.now(),
      }),
    );
    deps.deadLettered(kind, failure.code);
    deps.logger.warn({ queue: deps.origin, jobId: job.id, code: failure.code, kind }, 'dead-lettered');
  };
}
