import type { WechatFields, WechatValue } from './fields.js';
import { scanJson } from './json-scan.js';
import { MAX_NAME_LENGTH, MAX_NESTING_DEPTH } from './limits.js';

const OPEN_BRACE = 0x7b;

interface Walk {
  readonly numbers: readonly string[];
  nextNumber: number;
  members: number;
}

/**
 * The fields of a JSON object via `JSON.parse`, which is ~10× cheaper than
 * the lossless parser, or undefined to let the lossless parser decide.
 *
 * For valid JSON the two differ only on numbers (double vs exact text),
 * booleans and null (which fields turn into text) and repeated keys (last
 * one wins vs rejected). A one-pass scan supplies each number's source text
 * in document order; JSON.parse visits values in that order too, except for
 * keys that look like array indices, which JavaScript moves to the front,
 * and repeated keys, which leave fewer members than were written. Either
 * makes this path step aside, as does anything malformed, too deep, with an
 * overlong key or not starting with `{`, so the lossless path reports errors
 * with its codes.
 */
export function fastJsonFields(text: string): WechatFields | undefined {
  if (text.charCodeAt(0) !== OPEN_BRACE) return undefined;
  const shape = scanJson(text);
  if (shape.unterminatedString || shape.depth > MAX_NESTING_DEPTH) return undefined;
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return undefined;
  }
  const walk: Walk = { numbers: shape.numbers, nextNumber: 0, members: 0 };
  if (!isJsonObject(root) || !convertObject(root, walk)) return undefined;
  if (walk.members !== shape.members || walk.nextNumber !== shape.numbers.length) return undefined;
  return root as WechatFields;
}

/** Replaces every scalar in place with its field text; false to step aside. */
function convertObject(object: Record<string, unknown>, walk: Walk): boolean {
  for (const key of Object.keys(object)) {
    const first = key.charCodeAt(0);
    // Index-like keys change the order; overlong ones are the lossless path's to report.
    if ((first >= 0x30 && first <= 0x39) || key.length > MAX_NAME_LENGTH) return false;
    walk.members += 1;
    // An own "__proto__" data property (JSON.parse defines one) is written as data, not as the prototype.
    const value = convertValue(object[key], walk);
    if (value === undefined) return false;
    object[key] = value;
  }
  return true;
}

function convertValue(value: unknown, walk: Walk): WechatValue | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    const source = walk.numbers[walk.nextNumber];
    walk.nextNumber += 1;
    // A cross-check that the scan and the parser saw the same number.
    return source !== undefined && Number(source) === value ? source : undefined;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return '';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const item = convertValue(value[i], walk);
      if (item === undefined) return undefined;
      value[i] = item;
    }
    return value as WechatValue[];
  }
  if (isJsonObject(value) && convertObject(value, walk)) return value as WechatFields;
  return undefined;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
