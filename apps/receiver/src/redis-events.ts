import type { Logger } from '@wxcs/logger';
import type { RedisConnection } from '@wxcs/queue';

/**
 * Logs connection state changes once per change: ioredis emits an `error`
 * on every reconnect attempt, which during an outage would flood the log.
 */
export function logRedisEvents(redis: RedisConnection, logger: Logger): void {
  let down = false;
  redis.on('ready', () => {
    down = false;
    logger.info('redis ready');
  });
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: error }, 'redis unavailable, callbacks go to the spool until it is back');
  });
}

/** QUIT when connected, otherwise just drop the socket and stop reconnecting. */
export async function closeRedis(redis: RedisConnection): Promise<void> {
  try {
    if (redis.status === 'ready') {
      await redis.quit();
      return;
    }
  } catch {
    // fall through to disconnect
  }
  redis.disconnect();
}
