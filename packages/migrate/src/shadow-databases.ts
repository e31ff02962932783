import { randomBytes } from 'node:crypto';
import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import type pg from 'pg';
import { quoteIdentifier, withDatabase } from './database-url.js';
import { pgAdapterFactory, runScriptsWhole } from './engine-adapter.js';
import { createEnginePool } from './engine-pool.js';
import { withMaintenanceClient } from './maintenance.js';
import type { MigrateLog } from './migrate-log.js';

export const SHADOW_DATABASE_PREFIX = 'wxcs_shadow_';

export interface ShadowDatabases {
  /** Creates an empty database and connects the engine to it; disposing the connection drops it. */
  connect(): Promise<SqlDriverAdapter>;
  /** Drops every shadow database still alive, e.g. when the engine failed before disposing one. */
  dropAll(): Promise<void>;
}

/**
 * Temporary databases on the same server as `databaseUrl`, where the engine
 * replays the migration history to learn the schema it produces. Needs the
 * CREATEDB privilege, as `prisma migrate dev` does.
 */
export function createShadowDatabases(databaseUrl: string, log: MigrateLog): ShadowDatabases {
  const alive = new Map<string, pg.Pool>();

  async function drop(name: string): Promise<void> {
    const pool = alive.get(name);
    if (!pool) return;
    alive.delete(name);
    await pool.end();
    // FORCE (PostgreSQL 13+): a backend that is still exiting must not keep it alive.
    await withMaintenanceClient(databaseUrl, (client) =>
      client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`),
    );
    log.debug({ database: name }, 'shadow database dropped');
  }

  return {
    async connect() {
      const name = `${SHADOW_DATABASE_PREFIX}${randomBytes(8).toString('hex')}`;
      await withMaintenanceClient(databaseUrl, (client) => client.query(`CREATE DATABASE ${quoteIdentifier(name)}`));
      const pool = createEnginePool(withDatabase(databaseUrl, name));
      alive.set(name, pool);
      log.debug({ database: name }, 'shadow database created');
      const adapter = runScriptsWhole(await pgAdapterFactory(pool).connect());
      return {
        ...adapter,
        dispose: async () => {
          await adapter.dispose();
          await drop(name);
        },
      };
    },
    async dropAll() {
      for (const name of [...alive.keys()]) await drop(name);
    },
  };
}
