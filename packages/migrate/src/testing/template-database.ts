import { createHash } from 'node:crypto';
import type pg from 'pg';
import { applyMigrations } from '../apply-migrations.js';
import { quoteIdentifier, withDatabase } from '../database-url.js';
import { withMaintenanceClient } from '../maintenance.js';
import type { MigrateLog } from '../migrate-log.js';
import { readMigrationList } from '../migrations-dir.js';

// Session lock in the maintenance database, shared by every test process.
const TEMPLATE_LOCK_KEY = 0x77786374;

const silent: MigrateLog = { info: () => undefined, warn: () => undefined, debug: () => undefined };

/**
 * A migrated database to copy test databases from (CREATE DATABASE ...
 * TEMPLATE is a file copy: milliseconds, against a second or so for running
 * the migrations). Its name carries a hash of the migrations, so a changed
 * migration gets a new template and an old one is never reused. Parallel test
 * files build it once: the first takes a lock and builds, the others wait and
 * find it ready. "Ready" is `datistemplate`, set only after migrating, so a
 * build that crashed halfway is dropped and redone.
 */
export async function ensureTemplateDatabase(serverUrl: string, migrationsDir: string): Promise<string> {
  const name = `wxcs_tpl_${await migrationsHash(migrationsDir)}`;
  await withMaintenanceClient(serverUrl, async (admin) => {
    if (await isReady(admin, name)) return;
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      if (await isReady(admin, name)) return;
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      await applyMigrations({ databaseUrl: withDatabase(serverUrl, name), migrationsDir, log: silent });
      // No connections from now on: one would make every copy fail.
      await admin.query(`ALTER DATABASE ${quoteIdentifier(name)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
  return name;
}

async function isReady(admin: pg.Client, name: string): Promise<boolean> {
  const { rows } = await admin.query<{ datistemplate: boolean }>(
    'SELECT datistemplate FROM pg_database WHERE datname = $1',
    [name],
  );
  return rows[0]?.datistemplate === true;
}

async function migrationsHash(migrationsDir: string): Promise<string> {
  const { migrationDirectories } = await readMigrationList(migrationsDir);
  const hash = createHash('sha256');
  for (const { path, migrationFile } of migrationDirectories) {
    hash.update(`${path}\0${migrationFile.content.value}\0`);
  }
  return hash.digest('hex').slice(0, 16);
}
