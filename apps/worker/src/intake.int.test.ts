import { addCallbackBatch, addDeadLetter, intakeQueue, listDeadLetters, openQueue, replayDeadLetters, type InboundCallback, type IntakeQueue } from '@wxcs/queue';
import { waitFor } from '@wxcs/testkit';
import { describe, expect } from 'vitest';
import { inboundCallback, textMessage, waitUntilQueueEmpty } from './testing/callbacks.js';
import { workerTest } from './testing/worker-test.js';

const test = workerTest('worker-intake').extend('intake', { scope: 'file' }, ({ redis, queues }, { onCleanup }): IntakeQueue => {
  const intake = openQueue(intakeQueue, { connection: redis, prefix: queues.prefix });
  onCleanup(() => intake.close());
  return intake;
});

let n = 0;
const newCallbacks = (count: number): InboundCallback[] => Array.from({ length: count }, () => inboundCallback({ message: textMessage((n += 1)) }));

async function waitUntilUnpacked(intake: IntakeQueue): Promise<void> {
  await waitFor('the intake queue to be empty', async () => Object.values(await intake.getJobCounts('waiting', 'active', 'delayed', 'prioritized')).every((count) => count === 0));
}

describe('the intake queue (real Redis and PostgreSQL)', () => {
  test('unpacks a batch into one inbound job per callback, stores each, and keeps no batch once unpacked', async ({ intake, inbound, database }) => {
    const rowsBefore = await database.prisma.customerMessage.count();
    const callbacks = newCallbacks(3);
    await addCallbackBatch(intake, callbacks, { attempts: 3 });
    await waitUntilUnpacked(intake);
    await waitUntilQueueEmpty(inbound);
    const jobs = await Promise.all(callbacks.map((callback) => inbound.getJob(callback.callbackId)));
    expect(jobs.map((job) => job?.data)).toEqual(callbacks);
    expect(await intake.getJobCountByTypes('completed', 'failed')).toBe(0);
    expect(await database.prisma.customerMessage.count()).toBe(rowsBefore + 3);
  });

  test('stores a callback once when it comes in two batches, or in the same batch twice', async ({ intake, inbound, database }) => {
    const rowsBefore = await database.prisma.customerMessage.count();
    const jobsBefore = await inbound.getJobCountByTypes('completed');
    const [a, b, c] = newCallbacks(3) as [InboundCallback, InboundCallback, InboundCallback];
    await addCallbackBatch(intake, [a, b], { attempts: 3 });
    await addCallbackBatch(intake, [b, c], { attempts: 3 });
    await waitUntilUnpacked(intake);
    await waitUntilQueueEmpty(inbound);
    // The first batch again, after it was unpacked and removed: a new job, absorbed by the inbound job ids.
    await addCallbackBatch(intake, [a, b], { attempts: 3 });
    await waitUntilUnpacked(intake);
    await waitUntilQueueEmpty(inbound);
    expect(await inbound.getJobCountByTypes('completed')).toBe(jobsBefore + 3);
    expect(await database.prisma.customerMessage.count()).toBe(rowsBefore + 3);
  });

  test('dead-letters a job that is not a batch, and a replayed batch adds nothing twice', async ({ intake, inbound, deadLetters, database }) => {
    await intake.add(intakeQueue.jobName, { v: 1, callbacks: [] } as never, { jobId: 'not-a-batch', attempts: 3 });
    await waitFor('dead-lettered', async () => (await listDeadLetters(deadLetters, { code: 'bad_payload' })).length === 1);
    const [stored] = await listDeadLetters(deadLetters, { code: 'bad_payload' });
    expect(stored?.letter).toMatchObject({ origin: intakeQueue.name, sourceJobId: 'not-a-batch', kind: 'permanent', payload: { v: 1, callbacks: [] } });

    // A batch already unpacked and stored, dead-lettered as if a worker had given up on it, then replayed.
    const callbacks = newCallbacks(2);
    await addCallbackBatch(intake, callbacks, { attempts: 3 });
    await waitUntilUnpacked(intake);
    await waitUntilQueueEmpty(inbound);
    const rowsBefore = await database.prisma.customerMessage.count();
    const jobsBefore = await inbound.getJobCountByTypes('completed');
    const now = new Date().toISOString();
    await addDeadLetter(deadLetters, {
      v: 2,
      origin: intakeQueue.name,
      payload: { v: 1, callbacks },
      reason: 'redis refused the adds',
      code: 'retries_exhausted',
      kind: 'exhausted',
      errorName: 'ReplyError',
      attemptsMade: 3,
      sourceJobId: 'given-up-batch',
      firstAttemptAt: now,
      failedAt: now,
    });
    expect(await replayDeadLetters(deadLetters, [intake], { attempts: 3 }, { code: 'retries_exhausted' })).toHaveLength(1);
    await waitUntilUnpacked(intake);
    await waitUntilQueueEmpty(inbound);
    expect(await inbound.getJobCountByTypes('completed')).toBe(jobsBefore);
    expect(await database.prisma.customerMessage.count()).toBe(rowsBefore);
  });
});
