import pg from 'pg';
import { describeDatabaseUrl } from './database-url.js';
import { PgErrorCode, pgErrorCode } from './maintenance.js';
import type { MigrateLog } from './migrate-log.js';
import { MigrationError } from './migration-error.js';

/**
 * Session advisory lock our runners take on the target database before the
 * engine starts (ASCII "wxcs"). The engine takes Prisma's own lock
 * (72707369) too, but gives up after 10 seconds, so two replicas starting
 * together would fail whenever a migration takes longer than that. Waiting
 * here instead keeps the engine's lock uncontended between our runners, while
 * still serialising us with a `prisma migrate deploy` run through Prisma's.
 */
export const RUNNER_LOCK_KEY = 0x77786373;

export const DEFAULT_LOCK_TIMEOUT_MS = 10 * 60_000;

/** Runs `use` while holding the runner lock; waits at most `timeoutMs` for it. */
export async function withRunnerLock<T>(
  databaseUrl: string,
  options: { log: MigrateLog; timeoutMs?: number | undefined },
  use: () => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // An idle connection that dies (server restart) must not crash the process.
  client.on('error', (error) => options.log.warn({ err: error }, 'migration lock connection failed'));
  await client.connect();
  try {
    await acquire(client, databaseUrl, options);
    try {
      return await use();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [RUNNER_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    // Ending the session releases the lock even if the unlock above failed.
    await client.end().catch(() => undefined);
  }
}

async function acquire(
  client: pg.Client,
  databaseUrl: string,
  options: { log: MigrateLog; timeoutMs?: number | undefined },
): Promise<void> {
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
    RUNNER_LOCK_KEY,
  ]);
  if (rows[0]?.locked) return;
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  options.log.info(
    { ...describeDatabaseUrl(databaseUrl), timeoutMs },
    'another migration runner holds the lock; waiting for it to finish',
  );
  // lock_timeout bounds waits for advisory locks too.
  await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [RUNNER_LOCK_KEY]);
  } catch (error) {
    if (pgErrorCode(error) !== PgErrorCode.lockNotAvailable) throw error;
    throw new MigrationError(`Timed out after ${timeoutMs} ms waiting for another migration runner`, {
      cause: error,
    });
  }
}
