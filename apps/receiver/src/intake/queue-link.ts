import { inboundQueue, openQueue, type InboundCallback, type InboundQueue, type RedisConnection } from '@wxcs/queue';
import { QueueUnavailableError, ReplicationShortError } from '../errors.js';

/**
 * The receiver's only way into Redis: adds callbacks to the inbound queue,
 * job id = callback id.
 */
export interface QueueLink {
  /**
   * Adds every callback (and, when replica acks are asked for, waits for them),
   * or throws once each add has settled; never hangs longer than Redis does.
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
  const jobOptions = inboundQueue.jobOptions({ attempts: options.attempts });
  let current: { queue: InboundQueue; healthy: Promise<boolean> } | undefined;
  const retired: Promise<void>[] = [];

  function queue(): InboundQueue {
    if (redis.status !== 'ready') throw new QueueUnavailableError(`redis is ${redis.status}`);
    if (!current) {
      const created = openQueue(inboundQueue, { connection: redis, prefix });
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
      // One `add` per callback, all issued in this turn. BullMQ's addBulk builds an
      // ioredis Pipeline per call, and ioredis copies every script BullMQ defines
      // (64) onto each Pipeline: in a profile that alone cost more than the adds of a
      // typical batch. Redis runs the commands in order either way, and a batch with
      // any failed add is spooled whole: the drain's re-add of a job that did land is a no-op.
      const added = await Promise.allSettled(
        callbacks.map((callback) => target.add(inboundQueue.jobName, callback, { ...jobOptions, jobId: inboundQueue.jobId(callback) })),
      );
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
