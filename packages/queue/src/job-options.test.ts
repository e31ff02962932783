import { describe, expect, it } from 'vitest';
import { jitteredBackoffDelay } from './job-options.js';

describe('jitteredBackoffDelay', () => {
  const policy = { baseMs: 1_000, maxMs: 60_000 };

  it('grows exponentially up to the cap', () => {
    const top = (attempts: number) => jitteredBackoffDelay(attempts, policy, () => 1);
    expect([1, 2, 3, 4].map(top)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(top(30)).toBe(60_000);
  });

  it('spreads replicas over the whole window but never below half the base', () => {
    expect(jitteredBackoffDelay(5, policy, () => 0)).toBe(500);
    const samples = new Set(Array.from({ length: 50 }, () => jitteredBackoffDelay(5, policy)));
    expect(samples.size).toBeGreaterThan(10);
    for (const delay of samples) {
      expect(delay).toBeGreaterThanOrEqual(500);
      expect(delay).toBeLessThanOrEqual(16_000);
    }
  });
});
