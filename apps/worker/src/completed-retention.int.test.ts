import { expect } from 'vitest';
import { enqueue, inboundCallback, textMessage, waitUntilQueueEmpty } from './testing/callbacks.js';
import { workerTest } from './testing/worker-test.js';

const RETENTION = 3;

/** A worker keeping `RETENTION` completed jobs, and the inbound queue it consumes. */
const test = workerTest('worker-retention', { env: { WORKER_COMPLETED_RETENTION: String(RETENTION) } });

test('completed jobs are trimmed to WORKER_COMPLETED_RETENTION, whatever the producer added them with', async ({ inbound, worker }) => {
  // The receiver's job options, exactly as it adds every callback.
  await enqueue(inbound, Array.from({ length: 8 }, (_unused, n) => inboundCallback({ message: textMessage(n) })));
  await waitUntilQueueEmpty(inbound);
  expect(await worker.metric('wxcs_worker_jobs_processed_total', { outcome: 'inserted' })).toBe(8);
  expect(await inbound.getCompletedCount()).toBe(RETENTION);
});
