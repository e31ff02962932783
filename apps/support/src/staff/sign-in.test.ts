import { describe, expect, it } from 'vitest';
import { lockDuration } from './sign-in.js';

describe('lockDuration', () => {
  it('lets five wrong passwords through, then locks 30 s, doubling, at most 15 minutes', () => {
    expect([1, 5, 6, 7, 8, 10, 11, 50].map(lockDuration)).toEqual([0, 0, 30_000, 60_000, 120_000, 480_000, 900_000, 900_000]);
  });
});
