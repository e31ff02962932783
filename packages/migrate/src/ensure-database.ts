import pg from 'pg';
import { databaseNameOf, describeDatabaseUrl, quoteIdentifier } from './database-url.js';
import { PgErrorCode, pgErrorCode, withMaintenanceClient } from './maintenance.js';
import type { MigrateLog } from './migrate-log.js';

/**
 * Creates the target database when it does not exist yet, as
 * `prisma migrate deploy` does. Two runners may race to create it: the loser
 * sees duplicate_database (or a unique violation on pg_database when both
 * insert at once) and carries on with the database the winner made.
 */
export async function ensureDatabase(databaseUrl: string, log: MigrateLog): Promise<{ created: boolean }> {
  if (await databaseExists(databaseUrl)) return { created: false };
  const target = describeDatabaseUrl(databaseUrl);
  try {
    await withMaintenanceClient(databaseUrl, (client) =>
      client.query(`CREATE DATABASE ${quoteIdentifier(databaseNameOf(databaseUrl))}`),
    );
  } catch (error) {
    const code = pgErrorCode(error);
    if (code === PgErrorCode.duplicateDatabase || code === PgErrorCode.uniqueViolation) {
      log.info(target, 'database was created by a concurrent runner');
      return { created: false };
    }
    throw error;
  }
  log.info(target, 'database created');
  return { created: true };
}

// Connecting to the database itself needs no access to the maintenance
// database, which managed PostgreSQL services sometimes withhold.
async function databaseExists(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
  } catch (error) {
    if (pgErrorCode(error) === PgErrorCode.invalidCatalogName) return false;
    throw error;
  }
  await client.end();
  return true;
}
