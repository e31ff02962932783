import { quoteIdentifier } from '../database-url.js';
import { withMaintenanceClient } from '../maintenance.js';
import { ensureTemplateDatabase } from './template-database.js';
import { dropDatabase, repositoryMigrationsDir, testDatabaseUrl, testServerUrl, uniqueDatabaseName } from './test-server.js';

export interface MigratedDatabase {
  /** postgresql:// URL of this test's own database. */
  readonly url: string;
  readonly name: string;
  /** Drops the database, cutting any session still on it; safe to call twice. */
  drop(): Promise<void>;
}

export interface CreateMigratedDatabaseOptions {
  readonly serverUrl?: string;
  readonly migrationsDir?: string;
}

/**
 * A fresh database with every migration applied, copied from the migrated
 * template of `ensureTemplateDatabase`, for one test file (or one test).
 */
export async function createMigratedDatabase(
  label: string,
  options: CreateMigratedDatabaseOptions = {},
): Promise<MigratedDatabase> {
  const serverUrl = options.serverUrl ?? testServerUrl();
  const template = await ensureTemplateDatabase(serverUrl, options.migrationsDir ?? repositoryMigrationsDir());
  const name = uniqueDatabaseName(label);
  await withMaintenanceClient(serverUrl, (admin) =>
    admin.query(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(template)}`),
  );
  return { url: testDatabaseUrl(name, serverUrl), name, drop: () => dropDatabase(name, serverUrl) };
}
