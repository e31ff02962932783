import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { quoteIdentifier, withDatabase } from '../database-url.js';
import { withMaintenanceClient } from '../maintenance.js';

/**
 * The PostgreSQL server tests create their databases on. Test fixtures are
 * the one place besides @wxcs/config that reads the environment: they run
 * under the test runner, not a composition root.
 */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

/** The repository's prisma/migrations (this file is only ever run from sources). */
export function repositoryMigrationsDir(): string {
  return fileURLToPath(new URL('../../../../prisma/migrations', import.meta.url));
}

export function repositorySchemaPath(): string {
  return fileURLToPath(new URL('../../../../prisma/schema.prisma', import.meta.url));
}

/** A database name no other test file or run will pick, recognisable by its label. */
export function uniqueDatabaseName(label: string): string {
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 24);
  return `wxcs_test_${slug}_${randomBytes(8).toString('hex')}`;
}

export function testDatabaseUrl(name: string, serverUrl = testServerUrl()): string {
  return withDatabase(serverUrl, name);
}

/** Drops a test database even if a client forgot to disconnect. */
export async function dropDatabase(name: string, serverUrl = testServerUrl()): Promise<void> {
  await withMaintenanceClient(serverUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`),
  );
}
