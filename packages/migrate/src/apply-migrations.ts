import { stat } from 'node:fs/promises';
import { describeDatabaseUrl } from './database-url.js';
import { ensureDatabase } from './ensure-database.js';
import type { MigrateLog } from './migrate-log.js';
import { MigrationError } from './migration-error.js';
import { readMigrationList } from './migrations-dir.js';
import { withRunnerLock } from './runner-lock.js';
import { NO_FILTERS, withSchemaEngine } from './with-schema-engine.js';

export interface ApplyMigrationsOptions {
  readonly databaseUrl: string;
  readonly migrationsDir: string;
  readonly log: MigrateLog;
  /** How long to wait for a concurrent runner; default 10 minutes. */
  readonly lockTimeoutMs?: number;
}

/**
 * `prisma migrate deploy` without the Prisma CLI or its engine binary: creates
 * the database if needed, then applies pending migrations through the wasm
 * schema engine, which records them in `_prisma_migrations` exactly as the
 * CLI does (it is the same engine code). Concurrent runners queue on an
 * advisory lock; running it again applies nothing.
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<{ applied: string[] }> {
  const { databaseUrl, migrationsDir, log } = options;
  await assertDirectory(migrationsDir);
  const migrationsList = await readMigrationList(migrationsDir);
  const target = describeDatabaseUrl(databaseUrl);
  await ensureDatabase(databaseUrl, log);

  const applied = await withRunnerLock(databaseUrl, { log, timeoutMs: options.lockTimeoutMs }, async () => {
    log.info({ ...target, migrations: migrationsList.migrationDirectories.length }, 'applying pending migrations');
    const output = await withSchemaEngine({ databaseUrl, log }, (engine) =>
      engine.applyMigrations({ migrationsList, filters: NO_FILTERS }),
    );
    return output.appliedMigrationNames;
  });
  for (const migration of applied) log.info({ ...target, migration }, 'migration applied');
  if (applied.length === 0) log.info(target, 'database schema is up to date');
  return { applied };
}

// A missing directory is a deployment mistake (wrong path, files not copied
// into the image), not "nothing to apply".
async function assertDirectory(migrationsDir: string): Promise<void> {
  const stats = await stat(migrationsDir).catch(() => undefined);
  if (!stats?.isDirectory()) throw new MigrationError(`Migrations directory not found: ${migrationsDir}`);
}
