import type { RedisTarget } from '@wxcs/config';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

export type { Cluster, Redis } from 'ioredis';

/** A connection to the queues' Redis in any topology; BullMQ takes either as `connection`. */
export type RedisConnection = Redis | Cluster;

/** What a caller may change: how reconnecting is paced (`null` stops it). */
export interface ReconnectOptions {
  readonly retryStrategy?: (times: number) => number | null;
}

interface Behaviour {
  /** Per-node options: single node, sentinel-managed nodes, and each cluster node. */
  readonly node: RedisOptions;
  readonly enableOfflineQueue: boolean;
  readonly retryStrategy: (times: number) => number | null;
}

/**
 * One place that turns a topology into a client, so producers and consumers
 * keep their semantics on every topology. ioredis takes the offline queue and
 * the reconnect pacing of a Cluster at the top level, not per node.
 */
function connect(target: RedisTarget, behaviour: Behaviour): RedisConnection {
  const { node, enableOfflineQueue, retryStrategy } = behaviour;
  switch (target.kind) {
    case 'single':
      // A rediss:// URL turns TLS on.
      return new Redis(target.url, { ...node, enableOfflineQueue, retryStrategy, lazyConnect: true });
    case 'sentinel':
      return new Redis({
        ...node,
        enableOfflineQueue,
        retryStrategy,
        lazyConnect: true,
        sentinels: target.sentinels.map(({ host, port }) => ({ host, port })),
        name: target.masterName,
        sentinelPassword: target.sentinelPassword,
        password: target.password,
      });
    case 'cluster': {
      const options: ClusterOptions = {
        enableOfflineQueue,
        clusterRetryStrategy: retryStrategy,
        lazyConnect: true,
        redisOptions: { ...node, password: target.password },
      };
      return new Cluster(target.nodes.map(({ host, port }) => ({ host, port })), options);
    }
  }
}

/**
 * Producers (receiver, dashboard, CLI) fail fast: no offline queue and one
 * retry, so a Redis outage surfaces within the receiver's enqueue deadline
 * and the callback can go to the spool instead of hanging.
 */
export function createProducerRedis(target: RedisTarget, options: ReconnectOptions = {}): RedisConnection {
  return connect(target, {
    node: { maxRetriesPerRequest: 1, connectTimeout: 2_000 },
    enableOfflineQueue: false,
    retryStrategy: options.retryStrategy ?? ((times) => Math.min(times * 200, 2_000)),
  });
}

/**
 * Consumers wait: BullMQ workers must retry forever (`maxRetriesPerRequest:
 * null`, which BullMQ reads from `redisOptions` on a Cluster) so a Redis
 * restart or failover pauses them instead of crashing them.
 */
export function createConsumerRedis(target: RedisTarget, options: ReconnectOptions = {}): RedisConnection {
  return connect(target, {
    node: { maxRetriesPerRequest: null },
    enableOfflineQueue: true,
    retryStrategy: options.retryStrategy ?? ((times) => Math.min(times * 200, 5_000)),
  });
}
