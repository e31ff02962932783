import { invalidField } from '../http/api-error.js';

// Printable ASCII without spaces: what survives every proxy unchanged (UUIDs, ULIDs, hashes).
const KEY_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** The optional `Idempotency-Key` header: 1-128 printable characters; 400 otherwise. */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
    throw invalidField('invalid_idempotency_key', 'Idempotency-Key', 'must be 1-128 printable characters without spaces');
  }
  return header;
}

/** JSON with object keys sorted, so two bodies compare equal whatever order jsonb gave their keys back in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
