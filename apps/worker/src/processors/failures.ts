import { RowRejectedError } from '@wxcs/db';
import { WechatProtocolError } from '@wxcs/wechat';

/** A job that can never succeed as it is: dead-lettered at once, never retried. */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface FailureDescription {
  /** Stable machine code shown and filtered on by operators. */
  readonly code: string;
  readonly reason: string;
  readonly errorName: string;
}

const MAX_REASON_LENGTH = 500;

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH)}…` : text;
}

export function errorNameOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * Protocol errors (signature, ciphertext, foreign appid, unparsable message),
 * unusable job payloads, unknown apps and rows PostgreSQL refuses describe
 * the input, so they are permanent; everything else is worth retrying.
 */
export function describePermanentFailure(error: unknown): FailureDescription | undefined {
  if (error instanceof WechatProtocolError || error instanceof PermanentJobError || error instanceof RowRejectedError) {
    return { code: error.code, reason: reasonOf(error), errorName: error.name };
  }
  return undefined;
}

export function describeExhaustedFailure(error: unknown): FailureDescription {
  return { code: 'retries_exhausted', reason: reasonOf(error), errorName: errorNameOf(error) };
}

export function describeRepeatedStalls(stalls: number): FailureDescription {
  return {
    code: 'stalled_repeatedly',
    reason: `the job stalled ${stalls} times (the workers running it died or stopped renewing its lock); not run again`,
    errorName: 'StalledJobError',
  };
}

/** A job BullMQ itself failed, without the processor deciding so; its own reason is kept. */
export function describeFailedInQueue(failedReason: string | undefined): FailureDescription {
  return {
    code: 'failed_in_queue',
    reason: reasonOf(failedReason === undefined || failedReason === '' ? 'failed without a reason' : failedReason),
    errorName: 'QueueFailure',
  };
}
