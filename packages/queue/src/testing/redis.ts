import { randomBytes } from 'node:crypto';
import type { RedisTarget } from '@wxcs/config';
import { Redis } from 'ioredis';

/** The machine's shared Redis unless a test run points elsewhere. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_REDIS_TARGET: RedisTarget = { kind: 'single', url: TEST_REDIS_URL };

/**
 * A queue prefix no other test file uses, so files run in parallel and
 * re-run cleanly against one Redis.
 */
export function uniqueQueuePrefix(label: string): string {
  return `test-${label}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under a prefix; call from `afterAll`. */
export async function deleteQueuePrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
