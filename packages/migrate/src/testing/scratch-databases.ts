import { dropDatabase, testDatabaseUrl, testServerUrl, uniqueDatabaseName } from './test-server.js';

export interface ScratchDatabases {
  /** A name no database has yet, and its URL, for a test whose code under test creates the database. */
  reserve(label: string): { readonly name: string; readonly url: string };
  /** Drops every reserved database that exists. */
  dropAll(): Promise<void>;
}

/**
 * Databases a test file leaves to the runner to create, dropped together:
 *
 *   const scratch = createScratchDatabases();
 *   afterAll(() => scratch.dropAll());
 */
export function createScratchDatabases(serverUrl = testServerUrl()): ScratchDatabases {
  const reserved: string[] = [];
  return {
    reserve(label) {
      const name = uniqueDatabaseName(label);
      reserved.push(name);
      return { name, url: testDatabaseUrl(name, serverUrl) };
    },
    async dropAll() {
      for (const name of reserved.splice(0)) await dropDatabase(name, serverUrl);
    },
  };
}
