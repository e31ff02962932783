// Variant (a): a BullMQ worker that completes every job without doing anything.
// The ceiling for any worker on this machine: pure queue overhead.
import { INBOUND_QUEUE, createConsumerRedis } from '@wxcs/queue';
import { Worker } from 'bullmq';
import { readBenchEnv, signalReady } from './child-env.js';

const env = readBenchEnv();
const connection = createConsumerRedis(env.redisUrl);
const worker = new Worker(INBOUND_QUEUE, () => Promise.resolve({ outcome: 'noop' }), {
  connection,
  prefix: env.prefix,
  concurrency: env.concurrency,
});
worker.on('error', (error) => console.error(error));
await worker.waitUntilReady();
signalReady();
process.once('SIGTERM', () => {
  void worker.close().then(() => connection.quit()).then(() => process.exit(0));
});
