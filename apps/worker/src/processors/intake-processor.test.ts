import { createLogger } from '@wxcs/logger';
import { intakeQueue, type DeadLetter } from '@wxcs/queue';
import { describe, expect, it } from 'vitest';
import { inboundCallback, textMessage } from '../testing/callbacks.js';
import { createIntakeProcessor, type IntakeJob } from './intake-processor.js';

const logger = createLogger({ name: 'intake-processor-test', level: 'silent' });
const batch = { v: 1, callbacks: [inboundCallback({ message: textMessage(1) }), inboundCallback({ message: textMessage(2) })] };

/** The parts of a BullMQ job the processor reads, on its `attemptsMade`-th retry of `attempts`. */
function jobOf(data: unknown, attemptsMade: number, attempts = 3): IntakeJob {
  return {
    id: 'batch-1',
    queueName: intakeQueue.name,
    timestamp: Date.now(),
    data,
    attemptsMade,
    stalledCounter: 0,
    processedOn: Date.now(),
    progress: { firstAttemptAt: new Date(0).toISOString() },
    opts: { attempts },
  } as unknown as IntakeJob;
}

function processorWith(addInboundJobs: (callbacks: readonly unknown[]) => Promise<unknown>) {
  const letters: DeadLetter[] = [];
  const retried: string[] = [];
  const process = createIntakeProcessor({
    addInboundJobs,
    addDeadLetter: async (letter) => letters.push(letter),
    maxStalls: 5,
    metrics: { deadLettered: () => undefined, retried: (reason) => void retried.push(reason) },
    logger,
  });
  return { process, letters, retried };
}

describe('the intake processor', () => {
  it('adds every callback of the batch and reports how many', async () => {
    const added: unknown[] = [];
    const { process, letters } = processorWith(async (callbacks) => added.push(...callbacks));
    expect(await process(jobOf(batch, 0))).toEqual({ outcome: 'unpacked', callbacks: 2 });
    expect(added).toEqual(batch.callbacks);
    expect(letters).toEqual([]);
  });

  it('retries a failed add while attempts remain, then dead-letters the batch whole', async () => {
    const refused = new Error('READONLY You can\'t write against a read only replica.');
    const { process, letters, retried } = processorWith(() => Promise.reject(refused));
    await expect(process(jobOf(batch, 1))).rejects.toBe(refused);
    expect(retried).toEqual(['transient']);
    expect(letters).toEqual([]);

    expect(await process(jobOf(batch, 2))).toEqual({ outcome: 'dead-lettered', code: 'retries_exhausted' });
    expect(letters).toEqual([expect.objectContaining({ origin: intakeQueue.name, payload: batch, kind: 'exhausted', attemptsMade: 3, sourceJobId: 'batch-1' })]);
  });

  it('dead-letters a job that is not a batch without adding anything', async () => {
    let calls = 0;
    const { process, letters } = processorWith(async () => (calls += 1));
    expect(await process(jobOf({ v: 1, callbacks: [{ callbackId: 'x' }] }, 0))).toEqual({ outcome: 'dead-lettered', code: 'bad_payload' });
    expect(calls).toBe(0);
    expect(letters[0]).toMatchObject({ origin: intakeQueue.name, kind: 'permanent', code: 'bad_payload' });
  });
});
