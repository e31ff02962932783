export { applyMigrations, type ApplyMigrationsOptions } from './apply-migrations.js';
export { createMigration, type CreateMigrationOptions, type CreateMigrationResult } from './create-migration.js';
export { databaseNameOf, describeDatabaseUrl, withDatabase } from './database-url.js';
export { findSchemaDrift, type FindSchemaDriftOptions } from './find-schema-drift.js';
export type { MigrateLog } from './migrate-log.js';
export { MigrationError } from './migration-error.js';
export { RUNNER_LOCK_KEY } from './runner-lock.js';
