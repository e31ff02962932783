export { createTestDatabase, type CreateTestDatabaseOptions, type TestDatabase } from './create-test-database.js';
export {
  dropDatabase,
  repositoryMigrationsDir,
  repositorySchemaPath,
  testDatabaseUrl,
  testServerUrl,
  uniqueDatabaseName,
} from './test-server.js';
export { createRecordingLog, type RecordedLine } from './recording-log.js';
export { countMessages, findMessagesByApp, type StoredCustomerMessage } from './find-messages.js';
