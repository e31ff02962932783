import { createProducerRedis, deadLetterQueue, inboundQueue, intakeQueue, openQueue, type CatalogQueue } from '@wxcs/queue';

/** Jobs of one queue by state. */
export interface JobCounts {
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly prioritized: number;
  readonly completed: number;
  readonly failed: number;
}

/** The inbound queue's counts, the intake queue's, and the dead letters waiting. */
export interface QueueCounts extends JobCounts {
  /** The receiver's batches not yet unpacked (a completed batch is removed at once). */
  readonly intake: JobCounts;
  readonly deadLetters: number;
}

/** Where the queues live: a single node's URL, or any topology the apps connect to (a Sentinel setup, a Cluster). */
type QueueProbeTarget = string | Parameters<typeof createProducerRedis>[0];

async function jobCounts(queue: Pick<CatalogQueue, 'getJobCounts'>): Promise<JobCounts> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
  return {
    waiting: counts.waiting ?? 0,
    active: counts.active ?? 0,
    delayed: counts.delayed ?? 0,
    prioritized: counts.prioritized ?? 0,
    completed: counts.completed ?? 0,
    failed: counts.failed ?? 0,
  };
}

/**
 * Job counts of the inbound and intake queues and the dead letters under
 * `prefix`, over a short-lived connection (the server may have been
 * restarted, or a replica promoted, since the last call).
 */
export async function queueCounts(target: QueueProbeTarget, prefix: string): Promise<QueueCounts> {
  const redis = createProducerRedis(typeof target === 'string' ? { kind: 'single', url: target } : target, { retryStrategy: () => null });
  await redis.connect();
  const intake = openQueue(intakeQueue, { connection: redis, prefix });
  const inbound = openQueue(inboundQueue, { connection: redis, prefix });
  const deadLetters = openQueue(deadLetterQueue, { connection: redis, prefix });
  const queues = [intake, inbound, deadLetters];
  for (const queue of queues) queue.on('error', () => undefined);
  try {
    return { ...(await jobCounts(inbound)), intake: await jobCounts(intake), deadLetters: await deadLetters.getWaitingCount() };
  } finally {
    await Promise.all(queues.map((queue) => queue.close())).catch(() => undefined);
    redis.disconnect();
  }
}

const pending = (counts: JobCounts): number => counts.waiting + counts.active + counts.delayed + counts.prioritized;
const all = (counts: JobCounts): number => pending(counts) + counts.completed + counts.failed;

/** Nothing left to unpack or to store. */
export const isDrained = (counts: QueueCounts): boolean => pending(counts) + pending(counts.intake) === 0;

/** Every job ever added under `prefix`, batches and callbacks, whatever its state (BullMQ's id counter is not used: job ids come from callback ids). */
export const totalJobs = (counts: QueueCounts): number => all(counts) + all(counts.intake);

const ALL_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;

/**
 * The ids of every callback under `prefix` that is in Redis, in an intake
 * batch or as an inbound job, each once: what the worker will store. Reads
 * every job, so for assertions, not for polling.
 */
export async function queuedCallbackIds(target: QueueProbeTarget, prefix: string): Promise<Set<string>> {
  const redis = createProducerRedis(typeof target === 'string' ? { kind: 'single', url: target } : target, { retryStrategy: () => null });
  await redis.connect();
  const intake = openQueue(intakeQueue, { connection: redis, prefix });
  const inbound = openQueue(inboundQueue, { connection: redis, prefix });
  for (const queue of [intake, inbound]) queue.on('error', () => undefined);
  try {
    const ids = new Set<string>();
    for (const batch of await intake.getJobs([...ALL_STATES])) for (const callback of batch.data.callbacks) ids.add(callback.callbackId);
    for (const job of await inbound.getJobs([...ALL_STATES])) ids.add(job.data.callbackId);
    return ids;
  } finally {
    await Promise.all([intake.close(), inbound.close()]).catch(() => undefined);
    redis.disconnect();
  }
}
