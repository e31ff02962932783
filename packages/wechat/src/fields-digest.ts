import { createHash } from 'node:crypto';
import type { WechatFields, WechatValue } from './fields.js';

/**
 * SHA-256 (base64url, 43 characters) of a document in canonical form: keys
 * sorted, every string length-prefixed and exact, arrays in order. Two
 * documents share a digest only when they hold the same fields with the same
 * values, whatever order the fields arrived in. Hashed as UTF-16 code units,
 * because UTF-8 would turn every lone surrogate into the same U+FFFD.
 */
export function fieldsDigest(fields: WechatFields): string {
  return createHash('sha256').update(canonicalForm(fields), 'utf16le').digest('base64url');
}

function canonicalForm(value: WechatValue): string {
  if (typeof value === 'string') return `s${value.length}:${value}`;
  if (Array.isArray(value)) return `a${value.length}:${value.map(canonicalForm).join('')}`;
  // Keys of one object are distinct, so the order is total.
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
  return `o${entries.length}:${entries.map(([key, item]) => `${key.length}:${key}${canonicalForm(item)}`).join('')}`;
}
