import { createPrismaClient, type PrismaClient } from '../client/create-prisma-client.js';
import { quoteIdentifier } from '../migrate/database-url.js';
import { withMaintenanceClient } from '../migrate/maintenance.js';
import { ensureTemplateDatabase } from './template-database.js';
import {
  dropDatabase,
  repositoryMigrationsDir,
  testDatabaseUrl,
  testServerUrl,
  uniqueDatabaseName,
} from './test-server.js';

export interface TestDatabase {
  /** postgresql:// URL of this test's own database. */
  readonly url: string;
  readonly name: string;
  /** A client on it; `drop()` disconnects it. */
  readonly prisma: PrismaClient;
  /** Disconnects and drops the database; safe to call twice. */
  drop(): Promise<void>;
}

export interface CreateTestDatabaseOptions {
  readonly serverUrl?: string;
  readonly migrationsDir?: string;
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
  const serverUrl = options.serverUrl ?? testServerUrl();
  const template = await ensureTemplateDatabase(serverUrl, options.migrationsDir ?? repositoryMigrationsDir());
  const name = uniqueDatabaseName(label);
  await withMaintenanceClient(serverUrl, (admin) =>
    admin.query(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(template)}`),
  );
  const url = testDatabaseUrl(name, serverUrl);
  const prisma = createPrismaClient({ databaseUrl: url, poolSize: options.poolSize ?? 4 });
  let dropped = false;
  return {
    url,
    name,
    prisma,
    async drop() {
      if (dropped) return;
      dropped = true;
      await prisma.$disconnect();
      await dropDatabase(name, serverUrl);
    },
  };
}
