import { createProducerRedis, deadLetterQueue, inboundQueue, openQueue } from '@wxcs/queue';

export interface QueueCounts {
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly prioritized: number;
  readonly completed: number;
  readonly failed: number;
  readonly deadLetters: number;
}

/** Where the queues live: a single node's URL, or any topology the apps connect to (a Sentinel setup, a Cluster). */
type QueueProbeTarget = string | Parameters<typeof createProducerRedis>[0];

/**
 * Job counts of the inbound queue and the dead letters under `prefix`, over
 * a short-lived connection (the server may have been restarted, or a replica
 * promoted, since the last call).
 */
export async function queueCounts(target: QueueProbeTarget, prefix: string): Promise<QueueCounts> {
  const redis = createProducerRedis(typeof target === 'string' ? { kind: 'single', url: target } : target, { retryStrategy: () => null });
  await redis.connect();
  const inbound = openQueue(inboundQueue, { connection: redis, prefix });
  const deadLetters = openQueue(deadLetterQueue, { connection: redis, prefix });
  inbound.on('error', () => undefined);
  deadLetters.on('error', () => undefined);
  try {
    const counts = await inbound.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
    return {
      waiting: counts.waiting ?? 0,
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      prioritized: counts.prioritized ?? 0,
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
      deadLetters: await deadLetters.getWaitingCount(),
    };
  } finally {
    await Promise.all([inbound.close(), deadLetters.close()]).catch(() => undefined);
    redis.disconnect();
  }
}

export const isDrained = (counts: QueueCounts): boolean =>
  counts.waiting + counts.active + counts.delayed + counts.prioritized === 0;

/** Every job ever added under `prefix`, whatever its state (BullMQ's id counter is not used: job ids are callback ids). */
export const totalJobs = (counts: QueueCounts): number =>
  counts.waiting + counts.active + counts.delayed + counts.prioritized + counts.completed + counts.failed;
