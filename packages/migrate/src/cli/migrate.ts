/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL, creating
 * the database if needed. Runs from sources (tsx) in development and as
 * `node dist/cli/migrate.js` in a production image. Exits non-zero on failure.
 *
 *   --migrations-dir <path>   default: <repo>/prisma/migrations
 */
import { parseArgs } from 'node:util';
import { applyMigrations } from '../apply-migrations.js';
import { defaultMigrationsDir } from './repo-paths.js';
import { runCommand } from './run-command.js';

const { values } = parseArgs({ options: { 'migrations-dir': { type: 'string' } } });

await runCommand('migrate', 'migration failed', async (config, log) => {
  await applyMigrations({
    databaseUrl: config.database.DATABASE_URL,
    migrationsDir: values['migrations-dir'] ?? defaultMigrationsDir(),
    log,
  });
  return 0;
});
