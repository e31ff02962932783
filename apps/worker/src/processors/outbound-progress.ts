import type { Logger } from '@wxcs/logger';
import type { Job } from 'bullmq';
import type { SendVerdict } from './send-verdict.js';

/**
 * What an outbound job keeps in its progress (in Redis) across attempts:
 * when it was first tried (read by firstAttemptOf for its dead letter), and
 * WeChat's verdict on a send whose recording in the database failed, so the
 * next attempt records it instead of calling the outcome unknown.
 */
interface OutboundProgress {
  readonly firstAttemptAt?: string;
  readonly unrecorded?: UnrecordedVerdict;
}

export interface UnrecordedVerdict {
  readonly verdict: SendVerdict;
  /** The claim the send was made under (sending_since, epoch ms): the verdict belongs to that claim only. */
  readonly claimedAt: number;
}

type AnyJob = Pick<Job, 'id' | 'progress' | 'attemptsMade' | 'processedOn' | 'updateProgress'>;

const VERDICT_KINDS: ReadonlySet<unknown> = new Set(['sent', 'refused', 'retry', 'unknown']);

function progressOf(job: AnyJob): OutboundProgress {
  return typeof job.progress === 'object' && job.progress !== null ? job.progress : {};
}

/** A verdict an earlier attempt got from WeChat and could not record, if any. */
export function unrecordedVerdictOf(job: AnyJob): UnrecordedVerdict | undefined {
  // Progress is whatever was stored in Redis: checked before it is trusted.
  const unrecorded = progressOf(job).unrecorded as Partial<UnrecordedVerdict> | null | undefined;
  if (typeof unrecorded !== 'object' || unrecorded === null || typeof unrecorded.claimedAt !== 'number') return undefined;
  const { verdict } = unrecorded;
  if (typeof verdict !== 'object' || verdict === null || !VERDICT_KINDS.has(verdict.kind)) return undefined;
  return { verdict, claimedAt: unrecorded.claimedAt };
}

/** Best effort: a failure to write the progress is logged, never thrown, so the job's own error stands. */
async function mergeProgress(job: AnyJob, patch: OutboundProgress, logger: Logger): Promise<void> {
  try {
    await job.updateProgress({ ...progressOf(job), ...patch });
  } catch (error) {
    logger.warn({ jobId: job.id, err: error }, 'could not update the job progress');
  }
}

export function rememberUnrecordedVerdict(job: AnyJob, unrecorded: UnrecordedVerdict, logger: Logger): Promise<void> {
  return mergeProgress(job, { unrecorded }, logger);
}

/** Before the first retry: when the job was first tried, for the dead letter of its last attempt. */
export async function rememberFirstAttempt(job: AnyJob, logger: Logger): Promise<void> {
  if (job.attemptsMade > 0 || job.processedOn === undefined || progressOf(job).firstAttemptAt !== undefined) return;
  await mergeProgress(job, { firstAttemptAt: new Date(job.processedOn).toISOString() }, logger);
}
