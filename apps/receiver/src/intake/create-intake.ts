import type { Logger } from '@wxcs/logger';
import type { InboundCallback, RedisConnection } from '@wxcs/queue';
import type { ReceiverMetrics } from '../metrics.js';
import { createEnqueueBatcher, type IntakeOutcome } from './enqueue-batcher.js';
import { createQueueLink } from './queue-link.js';
import { createSpoolDrainer } from './spool-drainer.js';
import type { Spool } from './spool.js';

/** The receiver's durable intake: Redis first, the local spool when Redis is slow or down. */
export interface Intake {
  readonly enqueue: (callback: InboundCallback) => Promise<IntakeOutcome>;
  /** Redis answers, or the spool can take writes. */
  readonly isReady: () => Promise<boolean>;
  /** Moves spooled callbacks into Redis now; resolves with how many moved. */
  readonly drainSpool: () => Promise<number>;
  /** Starts the background drain (which first runs right away, e.g. after a restart). */
  readonly start: () => void;
  /** Flushes pending batches, stops the drain, closes the queue handle; leaves Redis and the spool open. */
  readonly close: () => Promise<void>;
}

export interface IntakeOptions {
  readonly redis: RedisConnection;
  readonly spool: Spool;
  readonly queuePrefix: string;
  readonly jobAttempts: number;
  readonly enqueueTimeoutMs: number;
  readonly maxBatchSize: number;
  /** RECEIVER_REPLICA_ACKS: replicas that must hold a batch before Redis counts as having it. */
  readonly replicaAcks?: number;
  readonly replicaAckTimeoutMs?: number;
  readonly logger: Logger;
  readonly metrics: Pick<ReceiverMetrics, 'observeBatch' | 'countDrained'>;
  readonly drainIntervalMs?: number;
}

export function createIntake(options: IntakeOptions): Intake {
  const { spool, logger, metrics } = options;
  // The drain shares this link, so a drained callback, too, counts as moved only once replicated.
  const queue = createQueueLink({
    redis: options.redis,
    prefix: options.queuePrefix,
    attempts: options.jobAttempts,
    replicaAcks: options.replicaAcks,
    replicaAckTimeoutMs: options.replicaAckTimeoutMs,
  });
  const batcher = createEnqueueBatcher({
    queue,
    spool,
    timeoutMs: options.enqueueTimeoutMs,
    maxBatchSize: options.maxBatchSize,
    logger,
    onBatch: (size, outcome, reason) => {
      metrics.observeBatch(size, outcome, reason);
      if (outcome === 'spooled') logger.debug({ callbacks: size, depth: spool.depth() }, 'callbacks spooled');
    },
  });
  const drainer = createSpoolDrainer({
    spool,
    // A stalled Redis gets no drain traffic either, until its overdue adds settle.
    queue: { addAll: queue.addAll, isConnected: () => queue.isConnected() && !batcher.isStalled() },
    logger,
    batchSize: options.maxBatchSize,
    intervalMs: options.drainIntervalMs ?? 1_000,
    // A drain is not on anyone's request path, so it can wait longer than a request.
    timeoutMs: Math.max(options.enqueueTimeoutMs, 5_000),
    onDrained: metrics.countDrained,
  });
  return {
    enqueue: batcher.enqueue,
    isReady: async () => (await queue.ping().catch(() => false)) || (await spool.isWritable()),
    drainSpool: drainer.drainNow,
    start: drainer.start,
    close: async () => {
      await batcher.flush();
      await drainer.stop();
      await queue.close();
    },
  };
}
