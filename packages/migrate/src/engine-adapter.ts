import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type pg from 'pg';

/**
 * The driver adapter factory the schema engine runs on: @prisma/adapter-pg
 * over a pool we own (the engine never disposes its main connection, so the
 * caller ends the pool), with whole-script execution.
 *
 * `connectToShadowDb` is only used by diffs against the migration history;
 * PrismaPg's own version derives the shadow database from a
 * `{ ...config, database }` object, which pg ignores when a connection string
 * is present, so callers provide their own (see shadow-databases.ts).
 */
export function createEngineAdapterFactory(
  pool: pg.Pool,
  connectToShadowDb: () => Promise<SqlDriverAdapter> = () =>
    Promise.reject(new Error('This operation does not use a shadow database')),
): SqlMigrationAwareDriverAdapterFactory {
  const base = pgAdapterFactory(pool);
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => runScriptsWhole(await base.connect()),
    connectToShadowDb,
  };
}

/**
 * @prisma/adapter-pg compiles against a newer @types/pg than the workspace's;
 * at run time both sides use the same `pg` module, so the Pool is the same class.
 */
export function pgAdapterFactory(pool: pg.Pool): PrismaPg {
  return new PrismaPg(pool as unknown as ConstructorParameters<typeof PrismaPg>[0]);
}

/**
 * adapter-pg's executeScript splits a script on every `;` and runs the pieces
 * one by one: it breaks on semicolons inside strings, comments or `$$`
 * function bodies, and leaves a half-applied migration behind when a later
 * statement fails. Prisma's native engine sends the script as one simple
 * query, which PostgreSQL runs as a single implicit transaction; so do we.
 * (A query without parameters goes over pg's simple-query protocol, which
 * accepts several statements.)
 */
export function runScriptsWhole(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const connectionInfo = adapter.getConnectionInfo?.bind(adapter);
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => adapter.queryRaw(query),
    executeRaw: (query) => adapter.executeRaw(query),
    executeScript: async (script) => {
      await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
    },
    startTransaction: (isolationLevel) => adapter.startTransaction(isolationLevel),
    ...(connectionInfo ? { getConnectionInfo: connectionInfo } : {}),
    dispose: () => adapter.dispose(),
  };
}
