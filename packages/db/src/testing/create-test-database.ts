import { createMigratedDatabase, type CreateMigratedDatabaseOptions } from '@wxcs/migrate/testing';
import { createPrismaClient, type PrismaClient } from '../client/create-prisma-client.js';

export interface TestDatabase {
  /** postgresql:// URL of this test's own database. */
  readonly url: string;
  readonly name: string;
  /** A client on it; `drop()` disconnects it. */
  readonly prisma: PrismaClient;
  /** Disconnects and drops the database; safe to call twice. */
  drop(): Promise<void>;
}

export interface CreateTestDatabaseOptions extends CreateMigratedDatabaseOptions {
  readonly poolSize?: number;
}

/**
 * A fresh database with every migration applied, for one test file (or one
 * test). Call `drop()` in afterAll/afterEach.
 *
 *   const db = await createTestDatabase('worker-persist');
 *   afterAll(() => db.drop());
 */
export async function createTestDatabase(
  label: string,
  options: CreateTestDatabaseOptions = {},
): Promise<TestDatabase> {
  const database = await createMigratedDatabase(label, options);
  const prisma = createPrismaClient({ databaseUrl: database.url, poolSize: options.poolSize ?? 4 });
  let dropped = false;
  return {
    url: database.url,
    name: database.name,
    prisma,
    async drop() {
      if (dropped) return;
      dropped = true;
      await prisma.$disconnect();
      await database.drop();
    },
  };
}
