export { createMigratedDatabase, type CreateMigratedDatabaseOptions, type MigratedDatabase } from './migrated-database.js';
export { createRecordingLog, type RecordedLine } from './recording-log.js';
export { createScratchDatabases, type ScratchDatabases } from './scratch-databases.js';
export { repositoryMigrationsDir, repositorySchemaPath, testServerUrl } from './test-server.js';
