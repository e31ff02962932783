import { createConsumerRedis, inboundQueue } from '@wxcs/queue';
import { Worker, type Job } from 'bullmq';
import { readBenchEnv, signalReady } from './child-env.js';

/**
 * Runs one of the comparison workers: a plain BullMQ Worker on the bench's
 * queue with `handle` as its processor and the orchestrator's concurrency;
 * signals ready, and on SIGTERM closes the worker, then `close`, then exits.
 */
export async function runBaselineWorker(
  handle: (job: Job) => Promise<unknown>,
  close: () => Promise<unknown> = () => Promise.resolve(),
): Promise<void> {
  const env = readBenchEnv();
  const connection = createConsumerRedis({ kind: 'single', url: env.redisUrl });
  const worker = new Worker(inboundQueue.name, handle, {
    connection,
    prefix: env.prefix,
    concurrency: env.concurrency,
  });
  worker.on('error', (error) => console.error(error));
  await worker.waitUntilReady();
  signalReady();
  process.once('SIGTERM', () => {
    void worker
      .close()
      .then(() => Promise.all([close(), connection.quit()]))
      .then(() => process.exit(0));
  });
}
