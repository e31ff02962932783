/**
 * `npm run db:migration:new -- <name>`: writes the migration that takes the
 * existing migrations to prisma/schema.prisma, computed on a temporary shadow
 * database on DATABASE_URL's server (needs CREATEDB). Writes nothing when
 * they already match.
 *
 *   --check                   write nothing; exit 1 if schema.prisma needs a migration (CI)
 *   --schema <path>           default: <repo>/prisma/schema.prisma
 *   --migrations-dir <path>   default: <repo>/prisma/migrations
 */
import { parseArgs } from 'node:util';
import { createMigration } from '../create-migration.js';
import { defaultMigrationsDir, defaultSchemaPath } from './repo-paths.js';
import { runCommand } from './run-command.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    check: { type: 'boolean', default: false },
    schema: { type: 'string' },
    'migrations-dir': { type: 'string' },
  },
});

await runCommand('migration-new', 'could not create the migration', async (config, log) => {
  const name = positionals[0] ?? (values.check ? 'check' : undefined);
  if (name === undefined || positionals.length > 1) {
    log.fatal({ positionals }, 'usage: npm run db:migration:new -- <name> [--check]');
    return 1;
  }
  const result = await createMigration({
    databaseUrl: config.database.DATABASE_URL,
    migrationsDir: values['migrations-dir'] ?? defaultMigrationsDir(),
    schemaPath: values.schema ?? defaultSchemaPath(),
    name,
    dryRun: values.check,
    log,
  });
  if (values.check && result.script !== null) {
    log.error({ script: result.script }, 'schema.prisma has changes that no migration captures');
    return 1;
  }
  return 0;
});
