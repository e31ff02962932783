import { describe, expect, it } from 'vitest';
import { catalog, deadLetterQueue, findQueueRecord, inboundQueue } from './catalog.js';
import { LEGACY_DEAD_LETTER_ORIGIN, type DeadLetter } from './dead-letter-schema.js';
import { FAILED_JOB_RETENTION } from './job-options.js';

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

  it('keeps dead letters until an operator acts, one per source job', () => {
    expect(deadLetterQueue.jobOptions()).toMatchObject({ removeOnComplete: false, removeOnFail: false });
    expect(deadLetterQueue.jobId({ sourceJobId: 'cb-1' } as DeadLetter)).toBe('dl-cb-1');
  });

  it('reads dead letters of the first shape as coming from the inbound queue', () => {
    expect(LEGACY_DEAD_LETTER_ORIGIN).toBe(inboundQueue.name);
  });
});
