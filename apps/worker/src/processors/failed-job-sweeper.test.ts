import { createLogger } from '@wxcs/logger';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFailedJobSweeper } from './failed-job-sweeper.js';

const logger = createLogger({ name: 'sweeper-test', level: 'silent' });

describe('createFailedJobSweeper', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sweeps at start and then on every interval, and a failed sweep does not stop the next', async () => {
    const rescue = vi.fn<() => Promise<number>>().mockRejectedValueOnce(new Error('redis away')).mockResolvedValue(2);
    const sweeper = createFailedJobSweeper({ rescue, intervalMs: 1_000, logger });
    sweeper.start();
    expect(rescue).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(rescue).toHaveBeenCalledTimes(3);
    await sweeper.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(rescue).toHaveBeenCalledTimes(3);
  });

  it('never runs two sweeps at once, and stop waits for the one in progress', async () => {
    let finish: ((rescued: number) => void) | undefined;
    const rescue = vi.fn(() => new Promise<number>((resolve) => (finish = resolve)));
    const sweeper = createFailedJobSweeper({ rescue, intervalMs: 100, logger });
    sweeper.start();
    await vi.advanceTimersByTimeAsync(500);
    expect(rescue).toHaveBeenCalledTimes(1);
    let stopped = false;
    const stopping = sweeper.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish?.(0);
    await stopping;
    expect(stopped).toBe(true);
  });
});
