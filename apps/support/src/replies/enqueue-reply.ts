import type { CustomerReply } from '@wxcs/db';
import type { Logger } from '@wxcs/logger';
import { outboundQueue, type OutboundQueue } from '@wxcs/queue';
import { TIMED_OUT, raceTimeout } from '@wxcs/service';

export interface EnqueueDeps {
  readonly queue: OutboundQueue;
  /** `QUEUE_JOB_ATTEMPTS`. */
  readonly jobAttempts: number;
  /** How long an add may take before the answer goes out without it. */
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/**
 * Adds the stored reply's job; true once Redis has it. The job id is the
 * reply's, so adding it again (a retry, a repeated request) makes no second
 * job. False when Redis failed or was too slow: the reply row is stored as
 * queued, and the worker's orphan sweeper sends queued replies that have
 * no job, so the caller answers 202 all the same.
 */
export async function enqueueReply(deps: EnqueueDeps, reply: Pick<CustomerReply, 'id'>, app: string): Promise<boolean> {
  const payload = { v: 1 as const, replyId: reply.id, app };
  const adding = deps.queue.add(outboundQueue.jobName, payload, {
    ...outboundQueue.jobOptions({ attempts: deps.jobAttempts }),
    jobId: outboundQueue.jobId(payload),
  });
  try {
    if ((await raceTimeout(adding, deps.timeoutMs)) !== TIMED_OUT) return true;
    // A late add still lands (or fails) on its own; only its outcome is not waited for.
    adding.catch(() => undefined);
    deps.logger.warn({ replyId: reply.id, app, timeoutMs: deps.timeoutMs }, 'reply stored, its job not added in time; the sweeper will send it');
  } catch (error) {
    deps.logger.warn({ err: error, replyId: reply.id, app }, 'reply stored, its job not added; the sweeper will send it');
  }
  return false;
}
