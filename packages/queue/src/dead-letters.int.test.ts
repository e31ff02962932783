import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProducerRedis, type Redis } from './connections.js';
import { addDeadLetter, listDeadLetters, purgeDeadLetters, replayDeadLetters } from './dead-letters.js';
import type { DeadLetter } from './payloads.js';
import { createDeadLetterQueue, createInboundQueue, type DeadLetterQueue, type InboundQueue } from './queues.js';
import { TEST_REDIS_URL, deleteQueuePrefix, uniqueQueuePrefix } from './testing/redis.js';

const prefix = uniqueQueuePrefix('dead-letters');
let redis: Redis;
let inbound: InboundQueue;
let deadLetters: DeadLetterQueue;

function letter(id: string, app: string, code: string): DeadLetter {
  const now = '2026-11-28T10:00:00.000Z';
  return {
    v: 1,
    callback: { v: 1, callbackId: `cb-${id}`, app, receivedAt: now, body: `{"id":"${id}"}`, contentType: 'application/json', query: { nonce: id } },
    reason: `failed ${id}`,
    code,
    kind: 'permanent',
    errorName: 'PayloadError',
    attemptsMade: 1,
    sourceJobId: `job-${id}`,
    firstAttemptAt: now,
    failedAt: now,
  };
}

beforeAll(async () => {
  redis = createProducerRedis(TEST_REDIS_URL);
  await redis.connect();
  inbound = createInboundQueue({ connection: redis, prefix });
  deadLetters = createDeadLetterQueue({ connection: redis, prefix });
});

afterAll(async () => {
  await inbound.close();
  await deadLetters.close();
  redis.disconnect();
  await deleteQueuePrefix(TEST_REDIS_URL, prefix);
});

describe('dead letters', () => {
  it('adds idempotently per source job and lists oldest first', async () => {
    await addDeadLetter(deadLetters, letter('a', 'shop', 'bad_padding'));
    await addDeadLetter(deadLetters, letter('a', 'shop', 'bad_padding'));
    await addDeadLetter(deadLetters, letter('b', 'clinic', 'retries_exhausted'));
    await addDeadLetter(deadLetters, letter('c', 'shop', 'retries_exhausted'));
    const all = await listDeadLetters(deadLetters);
    expect(all.map((d) => d.letter.callback.callbackId)).toEqual(['cb-a', 'cb-b', 'cb-c']);
    expect(await listDeadLetters(deadLetters, { app: 'shop', code: 'retries_exhausted' })).toHaveLength(1);
  });

  it('replays by filter: the callback goes back to the inbound queue unchanged, the letter goes away', async () => {
    const replayed = await replayDeadLetters(deadLetters, inbound, { attempts: 3 }, { app: 'shop', code: 'bad_padding' });
    expect(replayed).toEqual(['dl-job-a']);
    const waiting = await inbound.getWaiting();
    expect(waiting).toHaveLength(1);
    expect(waiting[0]?.data).toEqual(letter('a', 'shop', 'bad_padding').callback);
    expect(waiting[0]?.opts.attempts).toBe(3);
    expect((await listDeadLetters(deadLetters)).map((d) => d.id)).toEqual(['dl-job-b', 'dl-job-c']);
  });

  it('replays one by id and purges the rest', async () => {
    expect(await replayDeadLetters(deadLetters, inbound, { attempts: 3 }, { ids: ['dl-job-c', 'dl-missing'] })).toEqual(['dl-job-c']);
    expect(await purgeDeadLetters(deadLetters)).toEqual(['dl-job-b']);
    expect(await listDeadLetters(deadLetters)).toEqual([]);
    expect(await inbound.getWaitingCount()).toBe(2);
  });
});
