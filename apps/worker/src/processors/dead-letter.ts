import type { DeadLetter, InboundCallback } from '@wxcs/queue';
import type { FailureDescription } from './failures.js';

export interface DeadLetterInput {
  readonly callback: InboundCallback;
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
    v: 1,
    callback: input.callback,
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
