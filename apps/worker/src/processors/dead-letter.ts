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
