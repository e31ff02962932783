import { test } from 'vitest';
import { createCleanupStack } from './cleanup-stack.js';
import { startThrowawayCluster } from './servers/throwaway-cluster.js';
import { startThrowawaySentinel } from './servers/throwaway-sentinel.js';

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

/**
 * `testWithCleanup` with the two replicated Redis topologies, each started
 * by the first test that names it (password-protected, as production would
 * run them) and torn down after the file's last test.
 */
export const topologyTest = testWithCleanup
  .extend('sentinel', { scope: 'file' }, async ({ cleanup }) => {
    const sentinel = await startThrowawaySentinel({ password: 'node-password', sentinelPassword: 'sentinel-password' });
    cleanup.defer('sentinel', sentinel.dispose);
    return sentinel;
  })
  .extend('cluster', { scope: 'file' }, async ({ cleanup }) => {
    const cluster = await startThrowawayCluster({ password: 'node-password' });
    cleanup.defer('cluster', cluster.dispose);
    return cluster;
  });
