import { inboundQueue, intakeQueue } from './catalog.js';
import type { JobPolicy } from './job-options.js';
import type { CallbackBatch, InboundCallback } from './payloads.js';
import type { InboundQueue, IntakeQueue } from './queues.js';

/**
 * Adds a batch of acknowledged callbacks as one intake job. The same
 * callbacks added again as the same batch make no second job while the
 * first is kept; in any other batch they do, and unpacking absorbs it.
 */
export async function addCallbackBatch(queue: Pick<IntakeQueue, 'add'>, callbacks: readonly InboundCallback[], policy: JobPolicy): Promise<void> {
  const batch: CallbackBatch = { v: 1, callbacks: [...callbacks] };
  await queue.add(intakeQueue.jobName, batch, { ...intakeQueue.jobOptions(policy), jobId: intakeQueue.jobId(batch) });
}

/**
 * Adds one inbound job per callback in one round trip. Each job id is its
 * callback's, so unpacking a batch again (a rerun, a replay, the same
 * callback in two batches) makes no second job while the first is kept.
 */
export async function addInboundJobs(queue: Pick<InboundQueue, 'addBulk'>, callbacks: readonly InboundCallback[], policy: JobPolicy): Promise<void> {
  if (callbacks.length === 0) return;
  const options = inboundQueue.jobOptions(policy);
  await queue.addBulk(callbacks.map((callback) => ({ name: inboundQueue.jobName, data: callback, opts: { ...options, jobId: inboundQueue.jobId(callback) } })));
}
