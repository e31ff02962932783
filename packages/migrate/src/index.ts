export { applyMigrations, type ApplyMigrationsOptions } from './apply-migrations.js';
export type { MigrateLog } from './migrate-log.js';
export { MigrationError } from './migration-error.js';
