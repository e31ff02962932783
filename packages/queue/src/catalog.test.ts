import { describe, expect, it } from 'vitest';
import { catalog, deadLetterQueue, findQueueRecord, inboundQueue, intakeQueue } from './catalog.js';
import { LEGACY_DEAD_LETTER_ORIGIN, type DeadLetter } from './dead-letter-schema.js';
import { FAILED_JOB_RETENTION } from './job-options.js';
import type { InboundCallback } from './payloads.js';

describe('the catalog', () => {
  it('names every queue once and finds each by name', () => {
    const names = catalog.map((record) => record.name);
    expect(new Set(names).size).toBe(names.length);
    for (const record of catalog) expect(findQueueRecord(record.name)).toBe(record);
    expect(findQueueRecord('no-such-queue')).toBeUndefined();
  });

  it('leaves completed-job retention to the worker and bounds failed jobs on the job', () => {
    const options = inboundQueue.jobOptions({ attempts: 7 });
    expect(options.attempts).toBe(7);
    expect(options).not.toHaveProperty('removeOnComplete');
    expect(options.removeOnFail).toEqual(FAILED_JOB_RETENTION);
  });

  it('names an intake batch after every callback in it, and drops the batch once unpacked', () => {
    const callback = (callbackId: string) => ({ callbackId }) as InboundCallback;
    const batchId = (...ids: string[]) => intakeQueue.jobId({ v: 1, callbacks: ids.map(callback) });
    expect(batchId('a', 'b')).toBe(batchId('a', 'b'));
    expect(batchId('a', 'b')).not.toBe(batchId('a', 'b', 'c'));
    expect(batchId('a', 'b')).not.toBe(batchId('a'));
    expect(batchId('ab')).not.toBe(batchId('a', 'b'));
    expect(batchId('a')).toMatch(/^batch-[0-9a-f]{64}$/);
    expect(intakeQueue.jobOptions({ attempts: 7 })).toMatchObject({ attempts: 7, removeOnComplete: true, removeOnFail: FAILED_JOB_RETENTION });
  });

  it('keeps dead letters until an operator acts, one per source job', () => {
    expect(deadLetterQueue.jobOptions()).toMatchObject({ removeOnComplete: false, removeOnFail: false });
    expect(deadLetterQueue.jobId({ sourceJobId: 'cb-1' } as DeadLetter)).toBe('dl-cb-1');
  });

  it('reads dead letters of the first shape as coming from the inbound queue', () => {
    expect(LEGACY_DEAD_LETTER_ORIGIN).toBe(inboundQueue.name);
  });
});
