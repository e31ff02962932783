import type { Logger } from '@wxcs/logger';
import { TEST_REDIS_URL, deleteQueuePrefix, uniqueQueuePrefix } from '@wxcs/queue/testing';
import { makeTempDir } from '@wxcs/testkit';
import { test } from 'vitest';
import { openQueueProbe, startTestReceiver } from './receiver-harness.js';
import { TEST_APPS } from './requests.js';

export interface ReceiverTestSetup {
  /** Names the file's queue prefix and spool directory. */
  readonly label: string;
  /** Extra environment, e.g. RECEIVER_BODY_LIMIT_BYTES. */
  readonly env?: Readonly<Record<string, string>>;
  readonly logger?: Logger;
}

/**
 * vitest's `test` with file-wide fixtures, each made by the first test that
 * names it and undone after the file's last test (in reverse order, so the
 * receiver stops before its queue prefix and spool directory go):
 * - `receiver`: the real wiring (startTestReceiver) serving TEST_APPS on
 *   ephemeral ports, on the shared test Redis;
 * - `queue`: a read-only view of its intake queue;
 * - `queuePrefix` and `spoolDir`, the file's own.
 */
export function receiverTest(setup: ReceiverTestSetup) {
  return (
    test
      // vitest reads a fixture's dependencies from its destructuring pattern, so it must be one, even empty.
      // eslint-disable-next-line no-empty-pattern
      .extend('queuePrefix', { scope: 'file' }, ({}, { onCleanup }) => {
        const prefix = uniqueQueuePrefix(setup.label);
        onCleanup(() => deleteQueuePrefix(TEST_REDIS_URL, prefix));
        return prefix;
      })
      // eslint-disable-next-line no-empty-pattern
      .extend('spoolDir', { scope: 'file' }, async ({}, { onCleanup }) => {
        const dir = await makeTempDir(setup.label);
        onCleanup(dir.remove);
        return dir.path;
      })
      .extend('receiver', { scope: 'file' }, async ({ queuePrefix, spoolDir }, { onCleanup }) => {
        const receiver = await startTestReceiver({ prefix: queuePrefix, apps: TEST_APPS, spoolDir, env: setup.env, logger: setup.logger });
        onCleanup(receiver.stop);
        return receiver;
      })
      .extend('queue', { scope: 'file' }, async ({ queuePrefix }, { onCleanup }) => {
        const probe = await openQueueProbe(queuePrefix);
        onCleanup(probe.close);
        return probe;
      })
  );
}
