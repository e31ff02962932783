import { test } from 'vitest';
import { createCleanupStack } from './cleanup-stack.js';

/**
 * Imported from `@wxcs/testkit/fixtures`, apart from the rest of the kit:
 * building it needs a running vitest, and benches use the kit without one.
 *
 * vitest's `test` with a file-wide `cleanup` stack that runs after the
 * file's last test: whatever a fixture or test starts registers its own
 * teardown the moment it exists, so a file that fails half-way still stops
 * every process and removes every temp dir.
 */
// vitest reads a fixture's dependencies from its destructuring pattern, so it must be one, even empty.
// eslint-disable-next-line no-empty-pattern
export const testWithCleanup = test.extend('cleanup', { scope: 'file' }, ({}, { onCleanup }) => {
  const cleanup = createCleanupStack();
  onCleanup(() => cleanup.run());
  return cleanup;
});
