import type { Logger } from '@wxcs/logger';
import { payloadApp, type DeadLetter } from '@wxcs/queue';
import type { Job } from 'bullmq';
import type { WorkerMetrics } from '../metrics/worker-metrics.js';
import { buildDeadLetter, firstAttemptOf, sourceJobIdOf } from './dead-letter.js';
import { describeFailedInQueue, describeRepeatedStalls, type FailureDescription } from './failures.js';

/** BullMQ's failedReason when its stalled checker gives up on a job (moveStalledJobsToWait). */
export const STALLED_LIMIT_REASON = 'job stalled more than allowable limit';

const PAGE = 100;

type FailedJob = Job<unknown, unknown, string>;

/** A queue some worker consumes; its failed jobs are dead-lettered with it as their origin. */
export interface RescuedQueue {
  readonly name: string;
  getFailed(start: number, end: number): Promise<(FailedJob | undefined)[]>;
}

export interface FailedJobRescueDeps {
  readonly queue: RescuedQueue;
  /** Durable and idempotent per source job, as for the processor. */
  readonly addDeadLetter: (letter: DeadLetter) => Promise<unknown>;
  readonly metrics: WorkerMetrics;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/**
 * Moves every job in a consumed queue's failed set into the dead letters,
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
    const page = await deps.queue.getFailed(0, PAGE - 1);
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
  const failure: FailureDescription =
    job.failedReason === STALLED_LIMIT_REASON ? describeRepeatedStalls(job.stalledCounter) : describeFailedInQueue(job.failedReason);
  await deps.addDeadLetter(
    buildDeadLetter({
      origin: deps.queue.name,
      payload: job.data,
      failure,
      kind: 'exhausted',
      attemptsMade: job.attemptsMade,
      sourceJobId: sourceJobIdOf(job),
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
  deps.logger.warn({ queue: deps.queue.name, jobId: job.id, app: payloadApp(job.data), code: failure.code }, 'failed job moved to the dead letters');
  return true;
}
