import { DatabaseUnavailableError, RowRejectedError, checkDatabase, createPrismaClient, insertMessages, type PrismaClient } from '@wxcs/db';
import { freePort } from '@wxcs/testkit';
import { createAppDirectory } from '@wxcs/wechat';
import { describe, expect } from 'vitest';
import { prepareMessage } from '../processors/prepare-message.js';
import { TEST_APP, inboundCallback, textMessage } from '../testing/callbacks.js';
import { startSilentPostgres } from '../testing/silent-postgres.js';
import { integrationTest } from '../testing/worker-test.js';
import { createDatabaseProbe } from './database-probe.js';
import { InsertTimeoutError, createMessagePersister } from './message-persister.js';

const test = integrationTest('worker-persister');
const apps = createAppDirectory([TEST_APP]);
const rowOf = (n: number, content?: string) => prepareMessage(inboundCallback({ message: textMessage(n, content) }), apps).row;

function persisterFor(prisma: PrismaClient, maxBatchSize: number, insertTimeoutMs = 10_000) {
  const batches: { size: number; ok: boolean }[] = [];
  const persister = createMessagePersister({
    insert: (rows) => insertMessages(prisma, rows),
    probe: createDatabaseProbe(() => checkDatabase(prisma).then(() => true), 2_000),
    maxBatchSize,
    maxWaitMs: 1_000,
    insertTimeoutMs,
    observer: { batchDone: (size, _seconds, ok) => batches.push({ size, ok }) },
  });
  return { persister, batches };
}

describe('createMessagePersister against PostgreSQL', () => {
  test('stores concurrent rows with one insert and tells each caller inserted or duplicate', async ({ database }) => {
    const { persister, batches } = persisterFor(database.prisma, 4);
    const results = await Promise.all([rowOf(1), rowOf(2), rowOf(1), rowOf(3)].map((row) => persister.persist(row)));
    expect(results).toEqual(['inserted', 'inserted', 'duplicate', 'inserted']);
    expect(batches).toEqual([{ size: 4, ok: true }]);
    expect(await persister.persist(rowOf(2)).finally(() => persister.flush())).toBe('duplicate');
  });

  test('isolates a row PostgreSQL refuses, so the rest of its batch is still stored', async ({ database }) => {
    const { persister, batches } = persisterFor(database.prisma, 3);
    // Built past toStorableMessage, as no row the worker prepares can be: PostgreSQL refuses NUL in jsonb.
    const refused = { ...rowOf(11), payloadJson: '{"Content":"nul \\u0000 here"}' };
    const outcomes = await Promise.allSettled([rowOf(10), refused, rowOf(12)].map((row) => persister.persist(row)));
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: 'inserted' });
    expect(outcomes[2]).toEqual({ status: 'fulfilled', value: 'inserted' });
    const rejected = outcomes[1];
    expect(rejected?.status === 'rejected' && rejected.reason instanceof RowRejectedError).toBe(true);
    expect(batches[0]).toEqual({ size: 3, ok: false });
    expect(batches.slice(1).map((batch) => batch.size)).toEqual([1, 1, 1]);
    expect(await database.prisma.customerMessage.count({ where: { msgId: { in: [rowOf(10).msgId ?? '', rowOf(12).msgId ?? ''] } } })).toBe(2);
  });

  test('fails every row with DatabaseUnavailableError when PostgreSQL cannot be reached', async () => {
    const unreachable = createPrismaClient({ databaseUrl: `postgresql://postgres@127.0.0.1:${await freePort()}/nowhere`, poolSize: 1 });
    try {
      const { persister } = persisterFor(unreachable, 2);
      const outcomes = await Promise.allSettled([rowOf(20), rowOf(21)].map((row) => persister.persist(row)));
      expect(outcomes.map((outcome) => outcome.status === 'rejected' && outcome.reason instanceof DatabaseUnavailableError)).toEqual([true, true]);
    } finally {
      await unreachable.$disconnect();
    }
  });

  test('gives up on a database that never answers after insertTimeoutMs, as unavailable', async () => {
    const silent = await startSilentPostgres();
    const hung = createPrismaClient({ databaseUrl: silent.url, poolSize: 1 });
    try {
      const { persister, batches } = persisterFor(hung, 1, 300);
      const started = performance.now();
      const error: unknown = await persister.persist(rowOf(30)).catch((caught: unknown) => caught);
      // The insert's bound (300 ms), then the probe's (2 s): never the test's timeout.
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as Error).cause).toBeInstanceOf(InsertTimeoutError);
      expect(batches).toEqual([{ size: 1, ok: false }]);
    } finally {
      await silent.close();
      await hung.$disconnect().catch(() => undefined);
    }
  });
});
