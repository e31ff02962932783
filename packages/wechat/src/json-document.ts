import { parse } from 'lossless-json';
import { PayloadError } from './errors.js';
import type { WechatFields, WechatValue } from './fields.js';
import { fastJsonFields } from './json-fast-path.js';
import { scanJson } from './json-scan.js';
import { MAX_NAME_LENGTH, MAX_NESTING_DEPTH } from './limits.js';

/**
 * JSON body -> fields. Numbers keep their exact source text (MsgId exceeds
 * 2^53), booleans become 'true'/'false', null becomes ''. A key repeated with
 * a different value is rejected: which copy a consumer sees is parser-dependent.
 */
export function parseJsonFields(text: string): WechatFields {
  return fastJsonFields(text) ?? parseLosslessJsonFields(text);
}

/** The reference parse: slower, and the one whose errors callers see. Exported for tests comparing the two. */
export function parseLosslessJsonFields(text: string): WechatFields {
  // lossless-json recurses per level, so depth is bounded before it runs
  // rather than discovered as a stack overflow somewhere past ~3000 levels.
  if (scanJson(text).depth > MAX_NESTING_DEPTH) {
    throw new PayloadError('too_deep', `JSON nesting exceeds ${MAX_NESTING_DEPTH} levels`);
  }
  let root: unknown;
  try {
    root = parse(text, null, {
      parseNumber: (source) => source,
      onDuplicateKey: ({ key }) => {
        throw new PayloadError('duplicate_key', `duplicate JSON key ${JSON.stringify(key)}`);
      },
    });
  } catch (cause) {
    if (cause instanceof PayloadError) throw cause;
    throw new PayloadError('malformed_json', 'body is not a single valid JSON document', { cause });
  }
  if (!isJsonObject(root)) {
    throw new PayloadError('bad_root', 'JSON root must be an object');
  }
  return toFields(root);
}

function toFields(object: Record<string, unknown>): WechatFields {
  // fromEntries defines own properties, so a "__proto__" key stays plain data.
  return Object.fromEntries(
    Object.entries(object).map(([key, value]): [string, WechatValue] => [checkKey(key), toValue(value)]),
  );
}

function checkKey(key: string): string {
  if (key.length > MAX_NAME_LENGTH) {
    throw new PayloadError('name_too_long', `a JSON key exceeds ${MAX_NAME_LENGTH} characters`);
  }
  return key;
}

function toValue(value: unknown): WechatValue {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return '';
  if (Array.isArray(value)) return value.map(toValue);
  if (isJsonObject(value)) return toFields(value);
  // parseNumber returns strings, so nothing else can come out of the parser.
  throw new PayloadError('malformed_json', `unexpected JSON value of type ${typeof value}`);
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
