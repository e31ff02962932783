/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL, creating
 * the database if needed. Runs from sources (tsx) in development and as
 * `node dist/cli/migrate.js` in a production image. Exits non-zero on failure.
 *
 *   --migrations-dir <path>   default: <repo>/prisma/migrations
 */
import { parseArgs } from 'node:util';
import { loadMigrateConfig, type MigrateConfig } from '@wxcs/config';
import { createLogger } from '@wxcs/logger';
import { applyMigrations } from '../apply-migrations.js';
import { defaultMigrationsDir } from './repo-paths.js';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { 'migrations-dir': { type: 'string' } } });
  let config: MigrateConfig;
  try {
    config = loadMigrateConfig(process.env);
  } catch (error) {
    createLogger({ name: 'migrate', level: 'info' }).fatal({ err: error }, 'invalid configuration');
    return 1;
  }
  const log = createLogger({ name: 'migrate', level: config.common.LOG_LEVEL });
  try {
    await applyMigrations({
      databaseUrl: config.database.DATABASE_URL,
      migrationsDir: values['migrations-dir'] ?? defaultMigrationsDir(),
      log,
    });
    return 0;
  } catch (error) {
    log.fatal({ err: error }, 'migration failed');
    return 1;
  }
}

process.exitCode = await main();
