export { createMigratedDatabase, type CreateMigratedDatabaseOptions, type MigratedDatabase } from './migrated-database.js';
export { createRecordingLog, type RecordedLine } from './recording-log.js';
export {
  dropDatabase,
  repositoryMigrationsDir,
  repositorySchemaPath,
  testDatabaseUrl,
  testServerUrl,
  uniqueDatabaseName,
} from './test-server.js';
