import type { Logger } from '@wxcs/logger';
import { inboundCallbackSchema, type DeadLetter, type InboundCallback, type InboundQueue } from '@wxcs/queue';
import type { Job } from 'bullmq';
import type { WorkerMetrics } from '../metrics/worker-metrics.js';
import { buildDeadLetter, firstAttemptOf } from './dead-letter.js';
import { describeFailedInQueue, describeRepeatedStalls, type FailureDescription } from './failures.js';
import { standInCallback } from './prepare-message.js';

/** BullMQ's failedReason when its stalled checker gives up on a job (moveStalledJobsToWait). */
export const STALLED_LIMIT_REASON = 'job stalled more than allowable limit';

const PAGE = 100;

type FailedJob = Job<InboundCallback, unknown, string>;

export interface FailedJobRescueDeps {
  readonly inbound: InboundQueue;
  /** Durable and idempotent per source job, as for the processor. */
  readonly addDeadLetter: (letter: DeadLetter) => Promise<unknown>;
  readonly metrics: WorkerMetrics;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/**
 * Moves every job in the inbound queue's failed set into the dead letters,
 * where operators see, replay and purge them, and returns how many it moved.
 *
 * The processor dead-letters every job it gives up on, so that set should
 * stay empty. A job still lands there when BullMQ fails it without calling
 * the processor: its stalled checker gives up on a job that stalled once
 * more after the processor's own limit, e.g. because the worker that was
 * dead-lettering it died too. Replicas may run this at the same time: the
 * dead letter is idempotent per job and a job removed by another replica is
 * skipped.
 */
export async function rescueFailedJobs(deps: FailedJobRescueDeps): Promise<number> {
  let rescued = 0;
  for (;;) {
    // An entry is undefined when its job was removed between the listing and the read.
    const page: (FailedJob | undefined)[] = await deps.inbound.getFailed(0, PAGE - 1);
    const jobs = page.filter((job) => job !== undefined);
    let removed = 0;
    for (const job of jobs) {
      if (await rescueOne(job, deps)) removed += 1;
    }
    rescued += removed;
    // A page that removed nothing would come back unchanged; the next sweep tries again.
    if (page.length < PAGE || removed === 0) return rescued;
  }
}

async function rescueOne(job: FailedJob, deps: FailedJobRescueDeps): Promise<boolean> {
  const parsed = inboundCallbackSchema.safeParse(job.data);
  const callback = parsed.success ? parsed.data : standInCallback(job.data, job);
  const failure: FailureDescription =
    job.failedReason === STALLED_LIMIT_REASON ? describeRepeatedStalls(job.stalledCounter) : describeFailedInQueue(job.failedReason);
  await deps.addDeadLetter(
    buildDeadLetter({
      callback,
      failure,
      kind: 'exhausted',
      attemptsMade: job.attemptsMade,
      sourceJobId: job.id ?? callback.callbackId,
      firstAttemptAt: firstAttemptOf(job),
      failedAt: job.finishedOn === undefined ? (deps.now?.() ?? new Date()) : new Date(job.finishedOn),
    }),
  );
  try {
    await job.remove();
  } catch (error) {
    // Another replica got there first; its dead letter is the same one.
    deps.logger.debug({ jobId: job.id, err: error }, 'failed job already removed');
    return false;
  }
  deps.metrics.deadLettered('exhausted', failure.code);
  deps.logger.warn({ jobId: job.id, app: callback.app, code: failure.code }, 'failed job moved to the dead letters');
  return true;
}
