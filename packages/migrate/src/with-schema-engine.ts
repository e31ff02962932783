import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { createEngineAdapterFactory } from './engine-adapter.js';
import { toMigrationError } from './engine-error.js';
import { createEngineLogForwarder } from './engine-log.js';
import { createEnginePool } from './engine-pool.js';
import { loadSchemaEngine } from './load-schema-engine.js';
import type { MigrateLog } from './migrate-log.js';
import type { ShadowDatabases } from './shadow-databases.js';

/** We manage every table and enum in the schema: nothing is external. */
export const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

export interface SchemaEngineSessionOptions {
  /** The database the engine works on. */
  readonly databaseUrl: string;
  readonly log: MigrateLog;
  /** Needed only by diffs from a migration history. */
  readonly shadow?: ShadowDatabases;
  /** The Prisma schema, when the operation has one (the engine reads namespaces from it). */
  readonly schema?: { readonly path: string; readonly content: string };
}

/**
 * Runs `use` with a schema engine connected to `databaseUrl`, then frees the
 * engine, closes its connection (which releases the engine's advisory lock)
 * and drops any shadow database left behind. Engine errors come out as
 * MigrationError.
 */
export async function withSchemaEngine<T>(
  options: SchemaEngineSessionOptions,
  use: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const bindings = await loadSchemaEngine();
  const pool = createEnginePool(options.databaseUrl);
  const { shadow } = options;
  try {
    const factory = createEngineAdapterFactory(pool, shadow && (() => shadow.connect()));
    const engine = await bindings.SchemaEngine.new(
      { datamodels: options.schema && [[options.schema.path, options.schema.content]] },
      createEngineLogForwarder(options.log),
      bindMigrationAwareSqlAdapterFactory(factory),
    );
    try {
      return await use(engine);
    } finally {
      engine.free();
    }
  } catch (error) {
    throw toMigrationError(error);
  } finally {
    await pool.end();
    await shadow?.dropAll();
  }
}
