import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchResultMismatchError, createBatcher } from './batcher.js';

function recordingBatcher(options: { maxSize: number; maxWaitMs: number }, fail?: (items: readonly number[]) => boolean) {
  const batches: number[][] = [];
  const batcher = createBatcher<number, string>({
    ...options,
    run: (items) => {
      batches.push([...items]);
      if (fail?.(items)) return Promise.reject(new Error(`batch ${items.join(',')} failed`));
      return Promise.resolve(items.map((item) => `stored ${item}`));
    },
  });
  return { batcher, batches };
}

describe('createBatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a full batch at once and gives every submitter its own result', async () => {
    const { batcher, batches } = recordingBatcher({ maxSize: 3, maxWaitMs: 1_000 });
    const results = Promise.all([1, 2, 3].map((item) => batcher.submit(item)));
    expect(batches).toEqual([[1, 2, 3]]);
    await expect(results).resolves.toEqual(['stored 1', 'stored 2', 'stored 3']);
  });

  it('sends a partial batch only when the wait is over', async () => {
    const { batcher, batches } = recordingBatcher({ maxSize: 10, maxWaitMs: 25 });
    const first = batcher.submit(1);
    const second = batcher.submit(2);
    await vi.advanceTimersByTimeAsync(24);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([[1, 2]]);
    await expect(Promise.all([first, second])).resolves.toEqual(['stored 1', 'stored 2']);
  });

  it('starts the next batch while one is in flight, and the wait restarts with it', async () => {
    const { batcher, batches } = recordingBatcher({ maxSize: 2, maxWaitMs: 10 });
    const all = [1, 2, 3, 4, 5].map((item) => batcher.submit(item));
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    await vi.advanceTimersByTimeAsync(10);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    await expect(Promise.all(all)).resolves.toHaveLength(5);
  });

  it('rejects every submitter of a failed batch and nobody else', async () => {
    const { batcher } = recordingBatcher({ maxSize: 2, maxWaitMs: 10 }, (items) => items.includes(2));
    const outcomes = Promise.allSettled([1, 2, 3, 4].map((item) => batcher.submit(item)));
    const [one, two, three, four] = await outcomes;
    expect(one).toMatchObject({ status: 'rejected', reason: { message: 'batch 1,2 failed' } });
    expect(two).toMatchObject({ status: 'rejected', reason: { message: 'batch 1,2 failed' } });
    expect(three).toEqual({ status: 'fulfilled', value: 'stored 3' });
    expect(four).toEqual({ status: 'fulfilled', value: 'stored 4' });
  });

  it('refuses a run that answers for the wrong number of items', async () => {
    const batcher = createBatcher<number, number>({ maxSize: 2, maxWaitMs: 0, run: () => Promise.resolve([1]) });
    const results = Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    expect((await results).map((result) => result.status === 'rejected' && result.reason instanceof BatchResultMismatchError)).toEqual([
      true,
      true,
    ]);
  });

  it('flush sends what is pending and waits for batches in flight', async () => {
    let release: (() => void) | undefined;
    const stored: number[] = [];
    const batcher = createBatcher<number, number>({
      maxSize: 10,
      maxWaitMs: 60_000,
      run: async (items) => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        stored.push(...items);
        return items;
      },
    });
    const submitted = [batcher.submit(1), batcher.submit(2)];
    let flushed = false;
    const flushing = batcher.flush().then(() => {
      flushed = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(flushed).toBe(false);
    release?.();
    await flushing;
    expect(stored).toEqual([1, 2]);
    await expect(Promise.all(submitted)).resolves.toEqual([1, 2]);
  });

  it('after sendWithoutWaiting, pending and later items go out at once', async () => {
    const { batcher, batches } = recordingBatcher({ maxSize: 10, maxWaitMs: 60_000 });
    const early = batcher.submit(1);
    batcher.sendWithoutWaiting();
    expect(batches).toEqual([[1]]);
    const late = batcher.submit(2);
    expect(batches).toEqual([[1], [2]]);
    await expect(Promise.all([early, late])).resolves.toEqual(['stored 1', 'stored 2']);
  });
});
