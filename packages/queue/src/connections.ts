import { Redis, type RedisOptions } from 'ioredis';

export type { Redis } from 'ioredis';

/**
 * Producers (receiver, dashboard, CLI) fail fast: no offline queue and one
 * retry, so a Redis outage surfaces within the receiver's enqueue deadline
 * and the callback can go to the spool instead of hanging.
 */
export function createProducerRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    lazyConnect: true,
    ...options,
  });
}

/**
 * Consumers wait: BullMQ workers must retry forever (`maxRetriesPerRequest:
 * null`) so a Redis restart pauses them instead of crashing them.
 */
export function createConsumerRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 200, 5_000),
    lazyConnect: true,
    ...options,
  });
}
