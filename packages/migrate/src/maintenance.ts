import pg from 'pg';
import { MAINTENANCE_DATABASE, withDatabase } from './database-url.js';

/**
 * Runs `use` on a short-lived connection to the server's maintenance database,
 * for statements that cannot run inside the database they affect
 * (CREATE/DROP DATABASE).
 */
export async function withMaintenanceClient<T>(databaseUrl: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(databaseUrl, MAINTENANCE_DATABASE) });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

export function pgErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** SQLSTATEs we react to by name. */
export const PgErrorCode = {
  invalidCatalogName: '3D000',
  duplicateDatabase: '42P04',
  uniqueViolation: '23505',
  lockNotAvailable: '55P03',
} as const;
