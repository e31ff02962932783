import { addCallbackBatch, intakeQueue, openQueue, type InboundCallback, type IntakeQueue, type RedisConnection } from '@wxcs/queue';
import { QueueUnavailableError, ReplicationShortError } from '../errors.js';
import { splitByBodySize } from './split-batch.js';

/**
 * The receiver's only way into Redis: adds callbacks to the intake queue, a
 * batch per job, which the worker unpacks into one inbound job per callback.
 */
export interface QueueLink {
  /**
   * Adds the callbacks as one batch job, or a few when their bodies are large
   * (and, when replica acks are asked for, waits for them), or throws once each
   * add has settled; never hangs longer than Redis does.
   */
  readonly addAll: (callbacks: readonly InboundCallback[]) => Promise<void>;
  /** A cheap synchronous guess: the connection is up. */
  readonly isConnected: () => boolean;
  /** Round trip to Redis. */
  readonly ping: () => Promise<boolean>;
  readonly close: () => Promise<void>;
}

export interface QueueLinkOptions {
  readonly redis: RedisConnection;
  readonly prefix: string;
  readonly attempts: number;
  /** Replicas that must confirm a batch's adds (Redis WAIT) before addAll resolves; 0 skips WAIT. */
  readonly replicaAcks?: number;
  /** How long one WAIT may block the connection. */
  readonly replicaAckTimeoutMs?: number;
}

/**
 * A BullMQ Queue whose first connection attempt fails stays broken for good
 * (its `initializing` promise is rejected once and reused), which would turn
 * a receiver started during a Redis outage into a spool-only receiver
 * forever. So the Queue is created only once the connection is ready, and
 * created again if its initialisation failed anyway.
 */
export function createQueueLink(options: QueueLinkOptions): QueueLink {
  const { redis, prefix } = options;
  const replicaAcks = options.replicaAcks ?? 0;
  const replicaAckTimeoutMs = options.replicaAckTimeoutMs ?? 500;
  // WAIT has no key, so a Cluster would run it on whichever node it picks, not the queue's master.
  if (replicaAcks > 0 && redis.isCluster) throw new Error('replica acknowledgements are not supported on Redis Cluster');
  // WAIT counts only the writes of the connection it runs on. A reconnect between
  // the adds and the WAIT (ioredis resends unanswered commands on the new one)
  // would let it confirm writes it never covered, so any close voids the batch.
  let connectionEpoch = 0;
  if (replicaAcks > 0) redis.on('close', () => (connectionEpoch += 1));
  const policy = { attempts: options.attempts };
  let current: { queue: IntakeQueue; healthy: Promise<boolean> } | undefined;
  const retired: Promise<void>[] = [];

  function queue(): IntakeQueue {
    if (redis.status !== 'ready') throw new QueueUnavailableError(`redis is ${redis.status}`);
    if (!current) {
      const created = openQueue(intakeQueue, { connection: redis, prefix });
      // Errors surface through the add calls; the listener only keeps EventEmitter from throwing.
      created.on('error', () => undefined);
      current = {
        queue: created,
        healthy: created.waitUntilReady().then(
          () => true,
          () => false,
        ),
      };
    }
    return current.queue;
  }

  async function retireIfBroken(): Promise<void> {
    const link = current;
    if (!link || (await link.healthy)) return;
    if (current === link) current = undefined;
    retired.push(link.queue.close().catch(() => undefined));
  }

  async function waitForReplicas(epoch: number): Promise<void> {
    const acked = Number(await redis.call('WAIT', replicaAcks, replicaAckTimeoutMs));
    if (epoch !== connectionEpoch) throw new ReplicationShortError('the connection to redis was replaced while waiting for replicas');
    if (acked < replicaAcks) throw new ReplicationShortError(`${acked} of ${replicaAcks} replicas confirmed within ${replicaAckTimeoutMs} ms`);
  }

  return {
    addAll: async (callbacks) => {
      if (callbacks.length === 0) return;
      const target = queue();
      const epoch = connectionEpoch;
      // One job per batch, not per callback: a job per callback was a third of the
      // receiver's CPU (BullMQ's add and its socket writes). A batch with any failed
      // add is spooled whole: the drain's re-add of what did land is absorbed by unpacking.
      const added = await Promise.allSettled(splitByBodySize(callbacks).map((batch) => addCallbackBatch(target, batch, policy)));
      const failed = added.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed) {
        await retireIfBroken();
        throw failed.reason as Error;
      }
      if (replicaAcks > 0) await waitForReplicas(epoch);
    },
    isConnected: () => redis.status === 'ready',
    ping: async () => redis.status === 'ready' && (await redis.ping()) === 'PONG',
    close: async () => {
      await current?.queue.close();
      current = undefined;
      await Promise.all(retired);
    },
  };
}
