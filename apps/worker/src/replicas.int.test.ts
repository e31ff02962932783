import type { InboundCallback } from '@wxcs/queue';
import { readMetric, type AppProcess } from '@wxcs/testkit';
import { describe, expect } from 'vitest';
import { enqueue, inboundCallback, textMessage, waitUntilQueueEmpty } from './testing/callbacks.js';
import { spawnWorker } from './testing/worker-process.js';
import { integrationTest } from './testing/worker-test.js';

const test = integrationTest('worker-replicas').extend('replicas', { scope: 'file' }, async ({ queues, database }, { onCleanup }) => {
  const replicas: AppProcess[] = [];
  onCleanup(async () => {
    for (const replica of replicas) await replica.stop('SIGTERM');
  });
  for (const started of await Promise.allSettled([0, 1].map(() => spawnWorker({ prefix: queues.prefix, databaseUrl: database.url })))) {
    if (started.status === 'fulfilled') replicas.push(started.value);
  }
  if (replicas.length < 2) throw new Error('a replica did not start');
  return replicas;
});

describe('two worker processes racing on the same queue', () => {
  test('store each message once however the deliveries are split between them', { timeout: 90_000 }, async ({ replicas, inbound, deadLetters, database }) => {
    const messageCount = 400;
    const deliveries: InboundCallback[] = [];
    // A message's four deliveries are adjacent in the queue, so both replicas
    // (and several batches of each) work on the same message at the same time.
    for (let n = 0; n < messageCount; n += 1) {
      for (let round = 0; round < 4; round += 1) deliveries.push(inboundCallback({ message: textMessage(300_000 + n) }));
    }
    await enqueue(inbound, deliveries);
    await waitUntilQueueEmpty(inbound, 60_000);

    const rows = await database.prisma.$queryRawUnsafe<{ rows: bigint; ids: bigint }[]>(
      'SELECT count(*) AS rows, count(DISTINCT msg_id) AS ids FROM customer_message',
    );
    expect(rows).toEqual([{ rows: BigInt(messageCount), ids: BigInt(messageCount) }]);
    const expositions = await Promise.all(replicas.map((replica) => replica.metrics()));
    const processed = expositions.map((text) => readMetric(text, 'wxcs_worker_jobs_processed_total'));
    const inserted = expositions.map((text) => readMetric(text, 'wxcs_worker_jobs_processed_total', { outcome: 'inserted' }));
    const duplicates = expositions.map((text) => readMetric(text, 'wxcs_worker_duplicates_total'));
    // Both replicas took part, and between them every delivery is accounted for exactly once.
    expect(processed.every((count) => count > 0)).toBe(true);
    expect(processed[0]! + processed[1]!).toBe(4 * messageCount);
    expect(inserted[0]! + inserted[1]!).toBe(messageCount);
    expect(duplicates[0]! + duplicates[1]!).toBe(3 * messageCount);
    expect(await deadLetters.getWaitingCount()).toBe(0);
    expect(await inbound.getFailedCount()).toBe(0);
  });
});
