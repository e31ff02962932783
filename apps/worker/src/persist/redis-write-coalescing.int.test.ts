import { randomUUID } from 'node:crypto';
import { createConsumerRedis, type Redis } from '@wxcs/queue';
import { TEST_REDIS_URL } from '@wxcs/queue/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { coalesceRedisWrites } from './redis-write-coalescing.js';

const COMMANDS = 20;
let redis: Redis;
const key = `wxcs-test-coalescing-${randomUUID()}`;

beforeAll(async () => {
  redis = createConsumerRedis(TEST_REDIS_URL);
  await redis.connect();
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  await redis.del(key);
  await redis.quit();
});

/** Like a settled batch: each command is sent from a promise reaction, not from `work` itself. */
function sendFromReactions(): Promise<number[]> {
  return Promise.all(Array.from({ length: COMMANDS }, () => Promise.resolve().then(() => redis.incr(key))));
}

function spyOnSocketWrites() {
  const socket = redis.stream as unknown as { _write: () => void; _writev: () => void };
  return { single: vi.spyOn(socket, '_write'), vectored: vi.spyOn(socket, '_writev') };
}

describe('coalesceRedisWrites against Redis', () => {
  it('sends the commands a settlement triggers in one socket write, each answered in order', async () => {
    await redis.del(key);
    const writes = spyOnSocketWrites();
    let replies: Promise<number[]> | undefined;
    coalesceRedisWrites(redis)(() => {
      replies = sendFromReactions();
    });
    expect(await replies).toEqual(Array.from({ length: COMMANDS }, (_, index) => index + 1));
    expect(writes.single).not.toHaveBeenCalled();
    expect(writes.vectored).toHaveBeenCalledTimes(1);
  });

  it('without it, every command is a write of its own', async () => {
    await redis.del(key);
    const writes = spyOnSocketWrites();
    await sendFromReactions();
    expect(writes.single.mock.calls.length + writes.vectored.mock.calls.length).toBe(COMMANDS);
  });

  it('uncorks even when the work throws', async () => {
    const boom = new Error('settle failed');
    expect(() =>
      coalesceRedisWrites(redis)(() => {
        throw boom;
      }),
    ).toThrow(boom);
    await new Promise((resolve) => setImmediate(resolve));
    expect(redis.stream.writableCorked).toBe(0);
    await expect(redis.ping()).resolves.toBe('PONG');
  });

  it('just runs the work when the connection has no writable socket', () => {
    const closed = createConsumerRedis(TEST_REDIS_URL);
    const work = vi.fn();
    coalesceRedisWrites(closed)(work);
    expect(work).toHaveBeenCalledTimes(1);
    closed.disconnect();
  });
});
