import { parseDocument } from './document.js';
import { optionalText } from './fields.js';
import type { DataFormat } from './format.js';
import { MAX_DOCUMENT_LENGTH, MAX_NESTING_DEPTH } from './limits.js';

export interface Envelope {
  format: DataFormat;
  encrypt?: string;
  toUserName?: string;
}

/**
 * What the receiver needs on its request path before queueing: the format and
 * the outer Encrypt/ToUserName values. Nothing here is authenticated.
 *
 * JSON bodies take a fast path through `JSON.parse` (~10× cheaper than the
 * lossless parser, which only matters for numbers and the envelope has none).
 * Whenever that path cannot vouch for giving the lossless parser's exact
 * answer, it steps aside and `parseDocument` decides, with its exact errors.
 */
export function readEnvelope(body: string): Envelope {
  return readJsonEnvelope(body) ?? readParsedEnvelope(body);
}

function readParsedEnvelope(body: string): Envelope {
  const { format, fields } = parseDocument(body);
  const envelope: Envelope = { format };
  const encrypt = optionalText(fields, 'Encrypt');
  const toUserName = optionalText(fields, 'ToUserName');
  if (encrypt !== undefined) envelope.encrypt = encrypt;
  if (toUserName !== undefined) envelope.toUserName = toUserName;
  return envelope;
}

const BYTE_ORDER_MARK = 0xfeff;
const OPEN_BRACE = 0x7b;

/**
 * The envelope of a JSON body via `JSON.parse`, or undefined to let the
 * lossless path decide. For valid JSON the two parsers agree except on
 * numbers (exact text vs double), booleans and null (which the lossless
 * fields turn into text), and repeated keys (rejected vs last one wins), so
 * the fast path only answers when Encrypt and ToUserName are absent or
 * strings and no key repeats. Errors (malformed, too deep, too large) are
 * always left to the lossless path, which reports them with their codes.
 */
function readJsonEnvelope(body: string): Envelope | undefined {
  if (body.length > MAX_DOCUMENT_LENGTH) return undefined;
  const text = body.charCodeAt(0) === BYTE_ORDER_MARK ? body.slice(1) : body;
  if (text.charCodeAt(0) !== OPEN_BRACE) return undefined;
  const shape = scanJson(text);
  if (shape === undefined || shape.depth > MAX_NESTING_DEPTH) return undefined;
  let root: Record<string, unknown>;
  try {
    root = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  // JSON.parse keeps the last of repeated keys silently: fewer members parsed than written.
  if (countMembers(root) !== shape.members) return undefined;
  const encrypt = Object.hasOwn(root, 'Encrypt') ? root.Encrypt : undefined;
  const toUserName = Object.hasOwn(root, 'ToUserName') ? root.ToUserName : undefined;
  if ((encrypt !== undefined && typeof encrypt !== 'string') || (toUserName !== undefined && typeof toUserName !== 'string')) {
    return undefined;
  }
  const envelope: Envelope = { format: 'json' };
  if (encrypt !== undefined) envelope.encrypt = encrypt;
  if (toUserName !== undefined) envelope.toUserName = toUserName;
  return envelope;
}

/**
 * Outside strings: the deepest object/array nesting, and the number of
 * object members (in valid JSON every such `:` separates one key from its
 * value). Undefined for an unterminated string.
 */
function scanJson(text: string): { depth: number; members: number } | undefined {
  let depth = 0;
  let deepest = 0;
  let members = 0;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    if (char === 0x22 /* " */) {
      i = closingQuote(text, i);
      if (i < 0) return undefined;
    } else if (char === 0x3a /* : */) {
      members += 1;
    } else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      depth += 1;
      if (depth > deepest) deepest = depth;
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      depth -= 1;
    }
  }
  return { depth: deepest, members };
}

/** Index of the quote that ends the string opened at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  let quote = text.indexOf('"', open + 1);
  while (quote >= 0) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c /* \ */) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return -1;
}

function countMembers(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) count += countMembers(item);
    return count;
  }
  for (const item of Object.values(value)) count += 1 + countMembers(item);
  return count;
}
