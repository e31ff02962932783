import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createCleanupStack } from '../cleanup-stack.js';
import { startThrowawayPostgres } from './throwaway-postgres.js';
import { startThrowawayRedis } from './throwaway-redis.js';

const cleanup = createCleanupStack();
afterAll(() => cleanup.run());

async function withRedis<T>(url: string, work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  await redis.connect();
  try {
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}

describe('startThrowawayRedis', () => {
  it('with AOF, keeps an fsynced write across SIGKILL and restart on the same port', async () => {
    const redis = await startThrowawayRedis({ appendOnly: true, appendFsync: 'always' });
    cleanup.defer('redis', redis.dispose);
    await withRedis(redis.url, (client) => client.set('k', 'v'));
    await redis.kill();
    expect(redis.isRunning()).toBe(false);
    await redis.start();
    expect(await withRedis(redis.url, (client) => client.get('k'))).toBe('v');
    expect((await redis.info('persistence')).aof_enabled).toBe('1');
  });

  it('without AOF, a restart starts empty', async () => {
    const redis = await startThrowawayRedis();
    cleanup.defer('redis', redis.dispose);
    await withRedis(redis.url, (client) => client.set('k', 'v'));
    await redis.stop();
    await redis.start();
    expect(await withRedis(redis.url, (client) => client.get('k'))).toBeNull();
  });
});

describe('startThrowawayPostgres', () => {
  it('serves a migrated database that needs its password, and survives stop/start and kill/start', async () => {
    const postgres = await startThrowawayPostgres({ password: 'pw-Secret-123' });
    cleanup.defer('postgres', postgres.dispose);
    const count = async (url: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM customer_message')).rows[0]?.n;
      } finally {
        await client.end();
      }
    };
    expect(postgres.url).toContain(':pw-Secret-123@');
    expect(await count(postgres.url)).toBe(0);
    await expect(count(postgres.url.replace('pw-Secret-123', 'wrong'))).rejects.toThrow(/password authentication failed/);
    await postgres.stop();
    await expect(count(postgres.url)).rejects.toThrow();
    await postgres.start();
    await postgres.kill();
    await postgres.start();
    expect(await count(postgres.url)).toBe(0);
  }, 60_000);
});
