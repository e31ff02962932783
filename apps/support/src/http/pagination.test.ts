import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from './api-error.js';
import { decodeCursor, encodeCursor, pageOf, parseLimit } from './pagination.js';

const position = z.object({ at: z.iso.datetime(), id: z.string() }).strict();

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error instanceof ApiError ? { status: error.status, ...error.body } : error;
  }
  return undefined;
}

describe('parseLimit', () => {
  it('is 50 when absent and takes 1 to 100', () => {
    expect(parseLimit(undefined)).toBe(50);
    expect(parseLimit('1')).toBe(1);
    expect(parseLimit('100')).toBe(100);
  });

  it.each(['0', '101', '-1', '1.5', 'ten', '', '0001', ['5']])('refuses %j', (raw) => {
    expect(refusal(() => parseLimit(raw))).toMatchObject({ status: 400, error: 'invalid_query', field: 'limit' });
  });
});

describe('cursors', () => {
  it('read back what they were made from', () => {
    const cursor = encodeCursor({ at: '2026-01-01T08:00:00.123Z', id: '42' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, position)).toEqual({ at: '2026-01-01T08:00:00.123Z', id: '42' });
    expect(decodeCursor(undefined, position)).toBeUndefined();
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('{oops').toString('base64url')],
    ["another list's position", encodeCursor({ at: '2026-01-01T08:00:00.123Z', openid: 'o' })],
    ['too long', 'A'.repeat(513)],
    ['repeated', ['a', 'b']],
  ])('refuses one that is %s', (_what, raw) => {
    expect(refusal(() => decodeCursor(raw, position))).toMatchObject({ status: 400, error: 'invalid_query', field: 'cursor' });
  });
});

describe('pageOf', () => {
  it('keeps limit rows and names the last when there is one more', () => {
    expect(pageOf([1, 2, 3], 2)).toEqual({ rows: [1, 2], last: 2 });
    expect(pageOf([1, 2], 2)).toEqual({ rows: [1, 2], last: undefined });
    expect(pageOf([], 2)).toEqual({ rows: [], last: undefined });
  });
});
