import { describe, expect, it } from 'vitest';
import { percentile, summarize } from './percentiles.js';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_unused, i) => 100 - i);

  it('returns observed values: p50 of 1..100 is 50, p99 is 99, p100 is the max', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(hundred, 0.1)).toBe(1);
  });

  it('handles tiny samples and rejects nonsense', () => {
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([1, 2], 50)).toBe(1);
    expect(percentile([1, 2], 51)).toBe(2);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('does not reorder its input', () => {
    const input = [3, 1, 2];
    percentile(input, 50);
    expect(input).toEqual([3, 1, 2]);
  });

  it('summarizes count, p50, p99 and max', () => {
    expect(summarize([5, 1, 1000, 3])).toEqual({ count: 4, p50: 3, p99: 1000, max: 1000 });
    expect(summarize([]).count).toBe(0);
  });
});
