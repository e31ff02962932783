import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { MAINTENANCE_DATABASE, withDatabase } from './database-url.js';
import type { MigrateLog } from './migrate-log.js';
import { migrationDirectoryName, slugifyMigrationName } from './migration-name.js';
import { LOCKFILE_NAME, MIGRATION_FILE_NAME, POSTGRES_LOCKFILE, readMigrationList } from './migrations-dir.js';
import { createShadowDatabases } from './shadow-databases.js';
import { NO_FILTERS, withSchemaEngine } from './with-schema-engine.js';

export interface CreateMigrationOptions {
  /** Any database URL on the server that hosts the temporary shadow database. */
  readonly databaseUrl: string;
  readonly migrationsDir: string;
  readonly schemaPath: string;
  readonly name: string;
  readonly log: MigrateLog;
  /** Report the script without writing anything (CI: "does schema.prisma need a migration?"). */
  readonly dryRun?: boolean;
  readonly now?: Date;
}

export interface CreateMigrationResult {
  /** The new directory's name, or null when the migrations already match the schema. */
  readonly migrationName: string | null;
  readonly script: string | null;
  /** Where migration.sql was written; null when nothing was (no changes, or a dry run). */
  readonly path: string | null;
}

/**
 * The offline `prisma migrate dev --create-only`: replays the existing
 * migrations on a temporary shadow database, diffs the result against
 * schema.prisma with the schema engine, and writes the difference as the next
 * migration. Our database is never touched; the engine's own connection goes
 * to the server's maintenance database and only reads its version.
 */
export async function createMigration(options: CreateMigrationOptions): Promise<CreateMigrationResult> {
  const { databaseUrl, migrationsDir, schemaPath, log } = options;
  const slug = slugifyMigrationName(options.name);
  const schema = { path: basename(schemaPath), content: await readFile(schemaPath, 'utf8') };
  const history = await readMigrationList(migrationsDir);
  // A first migration has no lockfile yet; the engine needs one to pick its connector.
  const migrationsList = { ...history, lockfile: { ...history.lockfile, content: history.lockfile.content ?? POSTGRES_LOCKFILE } };

  const diff = await withSchemaEngine(
    {
      databaseUrl: withDatabase(databaseUrl, MAINTENANCE_DATABASE),
      log,
      schema,
      shadow: createShadowDatabases(databaseUrl, log),
    },
    (engine) =>
      engine.diff({
        from: { tag: 'migrations', ...migrationsList },
        to: { tag: 'schemaDatamodel', files: [schema] },
        script: true,
        // Makes the engine report "changes found" as 2 rather than us parsing its empty-script comment.
        exitCode: true,
        filters: NO_FILTERS,
      }),
  );
  if (diff.exitCode === 0 || diff.stdout === null) {
    log.info({ migrationsDir }, 'migrations already match the schema; nothing to create');
    return { migrationName: null, script: null, path: null };
  }

  const migrationName = migrationDirectoryName(
    slug,
    options.now ?? new Date(),
    history.migrationDirectories.map((directory) => directory.path),
  );
  if (options.dryRun) return { migrationName, script: diff.stdout, path: null };

  const directory = join(history.baseDir, migrationName);
  await mkdir(history.baseDir, { recursive: true });
  await mkdir(directory); // not recursive: never overwrite an existing migration
  const path = join(directory, MIGRATION_FILE_NAME);
  await writeFile(path, diff.stdout, 'utf8');
  if (history.lockfile.content === null) await writeFile(join(history.baseDir, LOCKFILE_NAME), POSTGRES_LOCKFILE, 'utf8');
  log.info({ migration: migrationName, path }, 'migration created');
  return { migrationName, script: diff.stdout, path };
}
