export { createTestDatabase, type CreateTestDatabaseOptions, type TestDatabase } from './create-test-database.js';
export { countMessages, findMessagesByApp, type StoredCustomerMessage } from './find-messages.js';
export { databaseTest } from './database-test.js';
export { insertQueuedReply } from './queued-reply.js';
export { newMessage } from './new-message.js';
