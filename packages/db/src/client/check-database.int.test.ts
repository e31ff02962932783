import { describe, expect } from 'vitest';
import { databaseTest } from '../testing/index.js';
import { checkDatabase, DatabaseUnavailableError } from './check-database.js';
import { createPrismaClient } from './create-prisma-client.js';

// How long a hung server may hold the probe is its callers' decision: the
// worker's bound is tested with its database probe (persist/database-probe.int.test.ts).

const test = databaseTest('check-database');

describe('createPrismaClient and checkDatabase', () => {
  test('reaches a live database through the pg adapter', async ({ db }) => {
    await expect(checkDatabase(db.prisma)).resolves.toBeUndefined();
    expect(await db.prisma.customerMessage.count()).toBe(0);
  });

  test('reports an unreachable database as DatabaseUnavailableError, with the driver error as cause', async () => {
    const errors: Error[] = [];
    const prisma = createPrismaClient({
      databaseUrl: 'postgresql://postgres@127.0.0.1:1/none',
      poolSize: 1,
      onPoolError: (error) => errors.push(error),
    });
    try {
      const error: unknown = await checkDatabase(prisma).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as Error).cause).toBeInstanceOf(Error);
      expect((error as Error).cause).not.toBeInstanceOf(DatabaseUnavailableError);
    } finally {
      await prisma.$disconnect();
    }
  });
});
