import type { z } from 'zod';
import { invalidField } from './api-error.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/** `?limit=`: 1 to 100, 50 when absent. */
export function parseLimit(raw: unknown): number {
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const limit = typeof raw === 'string' && /^[0-9]{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(limit >= 1 && limit <= MAX_PAGE_SIZE)) throw invalidField('invalid_query', 'limit', `must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  return limit;
}

/**
 * Cursors are opaque to clients: base64url of a small JSON position. They are
 * not signed; a forged one only moves the reader to another position of the
 * same list, which any limit and cursor could reach anyway.
 */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,512}$/;

/** `?cursor=` read back through the list's own schema; undefined when absent, 400 when not one of its cursors. */
export function decodeCursor<T>(raw: unknown, schema: z.ZodType<T>): T | undefined {
  if (raw === undefined) return undefined;
  const refused = invalidField('invalid_query', 'cursor', 'is not a cursor this list returned');
  if (typeof raw !== 'string' || !CURSOR_PATTERN.test(raw)) throw refused;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw refused;
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw refused;
  return result.data;
}

/** One page from `limit + 1` rows: the extra row only tells that there is a next page. */
export function pageOf<Row>(rows: readonly Row[], limit: number): { rows: readonly Row[]; last: Row | undefined } {
  if (rows.length <= limit) return { rows, last: undefined };
  const page = rows.slice(0, limit);
  return { rows: page, last: page[page.length - 1] };
}
