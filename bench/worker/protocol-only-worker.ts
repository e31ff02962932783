// Variant (d), not a target: our worker's protocol work (payload validation,
// signature, decryption, parsing, normalization, the row) and nothing else:
// no batching, no database. It bounds what any persistence design could
// reach on this machine: (c) can only be slower than (d).
import { createAppDirectory } from '@wxcs/wechat';
import { prepareMessage, readCallback } from '../../apps/worker/src/processors/prepare-message.js';
import { runBaselineWorker } from './baseline-worker.js';
import { BENCH_APP } from './child-env.js';

const apps = createAppDirectory([BENCH_APP]);

await runBaselineWorker((job) => {
  const { row } = prepareMessage(readCallback(job.data), apps);
  // The same result our worker returns, so BullMQ stores as much per job.
  return Promise.resolve({ outcome: 'inserted', dedupKey: row.dedupKey });
});
