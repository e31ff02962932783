import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { MigrateLog } from './migrate-log.js';
import { NO_FILTERS, withSchemaEngine } from './with-schema-engine.js';

export interface FindSchemaDriftOptions {
  readonly databaseUrl: string;
  readonly schemaPath: string;
  readonly log: MigrateLog;
}

/**
 * Compares the live database with schema.prisma, as
 * `prisma migrate diff --from-config-datasource --to-schema` does. Returns
 * the SQL that would bring the database to the schema, or null when the
 * database already matches it (no drift).
 */
export async function findSchemaDrift(options: FindSchemaDriftOptions): Promise<string | null> {
  const schema = { path: basename(options.schemaPath), content: await readFile(options.schemaPath, 'utf8') };
  const diff = await withSchemaEngine({ databaseUrl: options.databaseUrl, log: options.log, schema }, (engine) =>
    engine.diff({
      // With a driver adapter, "the schema's datasource" is the connected database.
      from: { tag: 'schemaDatasource', files: [schema], configDir: dirname(options.schemaPath) },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    }),
  );
  return diff.exitCode === 0 ? null : diff.stdout;
}
