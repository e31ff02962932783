import { describe, expect, it } from 'vitest';
import { deferred } from '../testing/callbacks.js';
import { createGroupCommit } from './group-commit.js';

describe('createGroupCommit', () => {
  it('writes the first batch at once and everything queued meanwhile in one later write', async () => {
    const writes: number[][] = [];
    const gate = deferred();
    const commit = createGroupCommit<number>(async (items) => {
      writes.push([...items]);
      if (writes.length === 1) await gate.promise;
    });
    const all = [commit([1]), commit([2, 3]), commit([4])];
    expect(writes).toEqual([[1]]);
    gate.resolve();
    await Promise.all(all);
    expect(writes).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects exactly the callers whose write failed', async () => {
    let calls = 0;
    const gate = deferred();
    const commit = createGroupCommit<number>(async () => {
      calls += 1;
      await gate.promise;
      if (calls === 1) throw new Error('ENOSPC');
    });
    const first = commit([1]);
    const second = commit([2]);
    gate.resolve();
    await expect(first).rejects.toThrow('ENOSPC');
    await expect(second).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});
