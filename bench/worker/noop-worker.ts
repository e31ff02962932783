// Variant (a): a BullMQ worker that completes every job without doing anything.
// The ceiling for any worker on this machine: pure queue overhead.
import { runBaselineWorker } from './baseline-worker.js';

await runBaselineWorker(() => Promise.resolve({ outcome: 'noop' }));
