// Variant (d), not a target: our worker's protocol work (payload validation,
// signature, decryption, parsing, normalization, the row) and nothing else:
// no batching, no database. It bounds what any persistence design could
// reach on this machine: (c) can only be slower than (d).
import { INBOUND_QUEUE, createConsumerRedis } from '@wxcs/queue';
import { Worker } from 'bullmq';
import { createAppDirectory } from '../../apps/worker/src/app-directory.js';
import { prepareMessage, readCallback } from '../../apps/worker/src/processors/prepare-message.js';
import { BENCH_APP, readBenchEnv, signalReady } from './child-env.js';

const env = readBenchEnv();
const apps = createAppDirectory([BENCH_APP]);
const connection = createConsumerRedis(env.redisUrl);

const worker = new Worker(
  INBOUND_QUEUE,
  (job) => {
    const { row } = prepareMessage(readCallback(job.data), apps);
    // The same result our worker returns, so BullMQ stores as much per job.
    return Promise.resolve({ outcome: 'inserted', dedupKey: row.dedupKey });
  },
  { connection, prefix: env.prefix, concurrency: env.concurrency },
);
worker.on('error', (error) => console.error(error));
await worker.waitUntilReady();
signalReady();
process.once('SIGTERM', () => {
  void worker.close().then(() => connection.quit()).then(() => process.exit(0));
});
