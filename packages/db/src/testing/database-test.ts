import { test } from 'vitest';
import { createTestDatabase } from './create-test-database.js';

/**
 * vitest's `test` with a file-wide `db`: a freshly migrated database of its
 * own (named after `label`), created by the first test that names it and
 * dropped after the file's last test.
 */
export function databaseTest(label: string) {
  // vitest reads a fixture's dependencies from its destructuring pattern, so it must be one, even empty.
  // eslint-disable-next-line no-empty-pattern
  return test.extend('db', { scope: 'file' }, async ({}, { onCleanup }) => {
    const db = await createTestDatabase(label);
    onCleanup(() => db.drop());
    return db;
  });
}
