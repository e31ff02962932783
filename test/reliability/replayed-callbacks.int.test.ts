// Replays of a captured callback, against the real receiver and worker: a
// delivery is queued once however often it arrives (also after a receiver
// restart, and with other bytes around its signed Encrypt value), a dead
// letter for one delivery is never multiplied, and a callback older than the
// default timestamp tolerance is refused.
import pg from 'pg';
import { simulateCallback, sampleMessage } from '@wxcs/wechat/testing';
import { createProducerRedis, deadLetterQueue, inboundQueue, openQueue } from '@wxcs/queue';
import { describe, expect } from 'vitest';
import { isDrained, queueCounts, waitFor } from '@wxcs/testkit';
import { query, send } from './support/hostile-requests.js';
import { pipelineTest, type Pipeline } from './support/pipeline.js';

// Compatible mode: the envelope may carry more than Encrypt, which is what a replay abuses.
const compatible = { WECHAT_MESSAGE_ENCRYPTION: 'compatible' };
// A restarted receiver listens on the same port, so `base` holds across restarts.
const test = pipelineTest({ label: 'replay', workers: 1, receiverEnv: compatible, workerEnv: compatible }).extend(
  'base',
  ({ pipeline }) => pipeline.receiver().url,
);

async function storedRows(pipeline: Pipeline): Promise<number> {
  const client = new pg.Client({ connectionString: pipeline.databaseUrl });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM customer_message')).rows[0]?.n);
  } finally {
    await client.end();
  }
}

/** Stands in for BullMQ's retention expiring: completed inbound jobs are forgotten. */
async function forgetCompletedJobs(pipeline: Pipeline): Promise<void> {
  const connection = createProducerRedis({ kind: 'single', url: pipeline.redis.url });
  await connection.connect();
  const inbound = openQueue(inboundQueue, { connection, prefix: pipeline.prefix });
  await inbound.clean(0, 0, 'completed');
  await inbound.close();
  connection.disconnect();
}

async function deadLetterCount(pipeline: Pipeline): Promise<number> {
  const connection = createProducerRedis({ kind: 'single', url: pipeline.redis.url });
  await connection.connect();
  const deadLetters = openQueue(deadLetterQueue, { connection, prefix: pipeline.prefix });
  const count = await deadLetters.getWaitingCount();
  await deadLetters.close();
  connection.disconnect();
  return count;
}

const settledQueue = (pipeline: Pipeline) => waitFor('queue drained', async () => {
  const counts = await queueCounts(pipeline.redis.url, pipeline.prefix);
  return isDrained(counts) ? counts : undefined;
});

describe('replayed callbacks', () => {
  test('queue and store one delivery once, however often and through however many receivers it arrives', async ({ pipeline, base }) => {
    const rowsBefore = await storedRows(pipeline);
    const callback = simulateCallback({ app: pipeline.credentials, message: sampleMessage('text'), format: 'xml', mode: 'safe' });
    const deliver = () => send(base, { search: query(callback.query), body: callback.body, headers: { 'content-type': 'text/xml' } });
    const answers = await Promise.all(Array.from({ length: 20 }, deliver));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    await pipeline.receiver().stop();
    await pipeline.startReceiver();
    for (let i = 0; i < 5; i += 1) expect((await deliver()).status).toBe(200);
    await settledQueue(pipeline);
    const counts = await queueCounts(pipeline.redis.url, pipeline.prefix);
    expect(counts.completed).toBe(1);
    await waitFor('the row', async () => (await storedRows(pipeline)) === rowsBefore + 1);
    // The restarted receiver's window starts empty: its first copy went to Redis, which ignored it.
    expect(await pipeline.receiverMetric('wxcs_receiver_requests_total', { outcome: 'repeat' })).toBe(4);
  });

  test('never turn one captured callback into a pile of dead letters', async ({ pipeline, base }) => {
    const callback = simulateCallback({ app: pipeline.credentials, message: sampleMessage('text'), format: 'xml', mode: 'compatible' });
    const encrypt = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(callback.body)?.[1] ?? '';
    expect(encrypt).not.toBe('');
    const lettersBefore = await deadLetterCount(pipeline);
    // The signed Encrypt value inside a JSON body: a format mismatch the worker dead-letters.
    const replay = (pad: number) =>
      send(base, { search: query(callback.query), body: JSON.stringify({ Encrypt: encrypt, Pad: 'x'.repeat(pad) }), headers: { 'content-type': 'application/json' } });
    for (let round = 0; round < 3; round += 1) {
      for (let i = 0; i < 5; i += 1) expect((await replay(1_000 + round * 10 + i)).status).toBe(200);
      await settledQueue(pipeline);
      await waitFor('dead-lettered', async () => (await deadLetterCount(pipeline)) > lettersBefore);
      // Each round starts as late as a replay could: a fresh receiver, and the job long gone from Redis.
      await forgetCompletedJobs(pipeline);
      await pipeline.receiver().stop();
      await pipeline.startReceiver();
    }
    expect(await deadLetterCount(pipeline)).toBe(lettersBefore + 1);
  });

  test('refuse a genuine callback older than the default timestamp tolerance', async ({ pipeline, base }) => {
    const old = String(Math.floor(Date.now() / 1000) - 3_600);
    const callback = simulateCallback({ app: pipeline.credentials, message: sampleMessage('text'), format: 'json', mode: 'safe', timestamp: old });
    const before = await queueCounts(pipeline.redis.url, pipeline.prefix);
    const answer = await send(base, { search: query(callback.query), body: callback.body });
    expect(answer.status).toBe(401);
    expect(await queueCounts(pipeline.redis.url, pipeline.prefix)).toEqual(before);
  });
});
