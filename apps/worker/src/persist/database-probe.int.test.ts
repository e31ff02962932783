import { checkDatabase, createPrismaClient, type PrismaClient } from '@wxcs/db';
import { describe, expect } from 'vitest';
import { startSilentPostgres } from '../testing/silent-postgres.js';
import { integrationTest } from '../testing/worker-test.js';
import { createDatabaseProbe } from './database-probe.js';

const BOUND_MS = 200;

/** The bound of a probe expected to succeed: what is tested is its answer, not how fast a busy machine gives it. */
const GENEROUS_BOUND_MS = 10_000;

const probeOf = (prisma: PrismaClient, boundMs = BOUND_MS) => createDatabaseProbe(() => checkDatabase(prisma).then(() => true), boundMs);

const test = integrationTest('worker-database-probe')
  // A PostgreSQL that accepts connections and never answers: only the probe's own bound ends a check.
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern.
  .extend('silentPrisma', { scope: 'file' }, async ({}, { onCleanup }) => {
    const silent = await startSilentPostgres();
    const prisma = createPrismaClient({ databaseUrl: silent.url, poolSize: 1 });
    onCleanup(async () => {
      await silent.close();
      await prisma.$disconnect().catch(() => undefined);
    });
    return prisma;
  });

describe('createDatabaseProbe over checkDatabase', () => {
  test('answers true while PostgreSQL answers', async ({ database }) => {
    expect(await probeOf(database.prisma, GENEROUS_BOUND_MS)()).toBe(true);
  });

  test('answers false within its bound when the server never answers', async ({ silentPrisma }) => {
    const started = performance.now();
    expect(await probeOf(silentPrisma)()).toBe(false);
    const elapsedMs = performance.now() - started;
    expect(elapsedMs).toBeGreaterThanOrEqual(BOUND_MS - 5);
    expect(elapsedMs).toBeLessThan(BOUND_MS + 1_000);
  });

  test('lets concurrent callers share one round trip', async ({ database }) => {
    let checks = 0;
    const probe = createDatabaseProbe(async () => {
      checks += 1;
      await checkDatabase(database.prisma);
      return true;
    }, GENEROUS_BOUND_MS);
    expect(await Promise.all([probe(), probe(), probe()])).toEqual([true, true, true]);
    expect(checks).toBe(1);
    await probe();
    expect(checks).toBe(2);
  });
});
