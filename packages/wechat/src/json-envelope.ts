import { envelopeMember, type EnvelopeFields } from './envelope-fields.js';
import { PayloadError } from './errors.js';
import { MAX_NAME_LENGTH, MAX_NESTING_DEPTH } from './limits.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

interface Cursor {
  readonly text: string;
  at: number;
  /** Global, so exec starts at lastIndex; one per read, never shared between calls. */
  readonly stringSpecial: RegExp;
}

/**
 * The top level of a JSON envelope, read in one pass that also checks the
 * whole text is a single RFC 8259 object within the depth and key-length
 * bounds. Every character is looked at a bounded number of times whatever
 * the text holds, so the cost is linear in its length; only keys and the
 * values of Encrypt and ToUserName are decoded. A repeated top-level key is
 * refused: which copy counts would depend on the parser.
 */
export function readJsonEnvelope(text: string, start: number): EnvelopeFields {
  // eslint-disable-next-line no-control-regex -- raw control characters end a JSON string: finding them is the point.
  const cursor: Cursor = { text, at: start, stringSpecial: /["\\\u0000-\u001f]/g };
  const fields: EnvelopeFields = { otherFields: 0 };
  const seen = new Set<string>();
  skipSpace(cursor);
  expectChar(cursor, OPEN_BRACE);
  skipSpace(cursor);
  if (!consume(cursor, CLOSE_BRACE)) {
    do {
      skipSpace(cursor);
      const key = readString(cursor, true, MAX_NAME_LENGTH);
      if (seen.has(key)) throw new PayloadError('duplicate_key', `duplicate JSON key ${JSON.stringify(key.slice(0, 32))}`);
      seen.add(key);
      skipSpace(cursor);
      expectChar(cursor, COLON);
      skipSpace(cursor);
      readTopLevelValue(cursor, key, fields);
      skipSpace(cursor);
    } while (consume(cursor, COMMA));
    expectChar(cursor, CLOSE_BRACE);
  }
  skipSpace(cursor);
  if (cursor.at !== text.length) throw malformed(cursor, 'text after the object');
  return fields;
}

function readTopLevelValue(cursor: Cursor, key: string, fields: EnvelopeFields): void {
  const member = envelopeMember(key);
  if (member === undefined) {
    fields.otherFields += 1;
    skipValue(cursor, 2);
  } else if (cursor.text.charCodeAt(cursor.at) === QUOTE) {
    fields[member] = readString(cursor, true);
  } else {
    throw new PayloadError('bad_field', `${key} must be a single text value`);
  }
}

function skipValue(cursor: Cursor, depth: number): void {
  const char = cursor.text.charCodeAt(cursor.at);
  if (char === QUOTE) readString(cursor, false);
  else if (char === OPEN_BRACE || char === OPEN_BRACKET) skipContainer(cursor, depth);
  else if (char === MINUS || isDigit(char)) skipNumber(cursor);
  else skipLiteral(cursor);
}

function skipContainer(cursor: Cursor, depth: number): void {
  if (depth > MAX_NESTING_DEPTH) throw new PayloadError('too_deep', `JSON nesting exceeds ${MAX_NESTING_DEPTH} levels`);
  const isObject = cursor.text.charCodeAt(cursor.at) === OPEN_BRACE;
  const close = isObject ? CLOSE_BRACE : CLOSE_BRACKET;
  cursor.at += 1;
  skipSpace(cursor);
  if (consume(cursor, close)) return;
  do {
    skipSpace(cursor);
    if (isObject) {
      readString(cursor, false, MAX_NAME_LENGTH);
      skipSpace(cursor);
      expectChar(cursor, COLON);
      skipSpace(cursor);
    }
    skipValue(cursor, depth + 1);
    skipSpace(cursor);
  } while (consume(cursor, COMMA));
  expectChar(cursor, close);
}

/** The string at the cursor, decoded only when `decode` (else ''); at most `maxLength` decoded characters. */
function readString(cursor: Cursor, decode: boolean, maxLength = Number.POSITIVE_INFINITY): string {
  const { text, stringSpecial } = cursor;
  expectChar(cursor, QUOTE);
  // Most strings hold no escape: one native scan to the closing quote, one slice.
  stringSpecial.lastIndex = cursor.at;
  const end = stringSpecial.exec(text)?.index ?? text.length;
  if (text.charCodeAt(end) === QUOTE && end - cursor.at <= maxLength) {
    const start = cursor.at;
    cursor.at = end + 1;
    return decode ? text.slice(start, end) : '';
  }
  const parts: string[] = [];
  let length = 0;
  for (;;) {
    let char = text.charCodeAt(cursor.at);
    if (char !== QUOTE && char !== BACKSLASH && char >= 0x20) {
      // A plain run ends at the next quote, backslash or control character, found natively.
      stringSpecial.lastIndex = cursor.at;
      const special = stringSpecial.exec(text)?.index ?? text.length;
      length += special - cursor.at;
      if (decode) parts.push(text.slice(cursor.at, special));
      cursor.at = special;
      char = text.charCodeAt(special);
    }
    if (char === QUOTE || length > maxLength) break;
    if (char !== BACKSLASH) throw malformed(cursor, Number.isNaN(char) ? 'unterminated string' : 'control character in a string');
    const unescaped = readEscape(cursor);
    length += 1;
    if (decode) parts.push(unescaped);
  }
  if (length > maxLength) throw new PayloadError('name_too_long', `a JSON key exceeds ${maxLength} characters`);
  cursor.at += 1;
  return decode ? parts.join('') : '';
}

function readEscape(cursor: Cursor): string {
  const { text } = cursor;
  const kind = text.charCodeAt(cursor.at + 1);
  cursor.at += 2;
  switch (kind) {
    case 0x22 /* " */:
      return '"';
    case 0x5c /* \ */:
      return '\\';
    case 0x2f /* / */:
      return '/';
    case 0x62 /* b */:
      return '\b';
    case 0x66 /* f */:
      return '\f';
    case 0x6e /* n */:
      return '\n';
    case 0x72 /* r */:
      return '\r';
    case 0x74 /* t */:
      return '\t';
    case 0x75 /* u */:
      return readUnicodeEscape(cursor);
    default:
      cursor.at -= 2;
      throw malformed(cursor, 'invalid escape');
  }
}

/** The four hex digits after `\u`. */
function readUnicodeEscape(cursor: Cursor): string {
  const hex = cursor.text.slice(cursor.at, cursor.at + 4);
  if (!/^[0-9A-Fa-f]{4}$/.test(hex)) {
    cursor.at -= 2;
    throw malformed(cursor, 'invalid escape');
  }
  cursor.at += 4;
  return String.fromCharCode(parseInt(hex, 16));
}

/** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
function skipNumber(cursor: Cursor): void {
  consume(cursor, MINUS);
  if (!consume(cursor, 0x30 /* 0 */)) skipDigits(cursor);
  if (consume(cursor, 0x2e /* . */)) skipDigits(cursor);
  if (consume(cursor, 0x65 /* e */) || consume(cursor, 0x45 /* E */)) {
    if (!consume(cursor, 0x2b /* + */)) consume(cursor, MINUS);
    skipDigits(cursor);
  }
}

/** One or more digits. */
function skipDigits(cursor: Cursor): void {
  const start = cursor.at;
  while (isDigit(cursor.text.charCodeAt(cursor.at))) cursor.at += 1;
  if (cursor.at === start) throw malformed(cursor, 'invalid number');
}

function skipLiteral(cursor: Cursor): void {
  for (const literal of ['true', 'false', 'null']) {
    if (cursor.text.startsWith(literal, cursor.at)) {
      cursor.at += literal.length;
      return;
    }
  }
  throw malformed(cursor, 'unexpected character');
}

function skipSpace(cursor: Cursor): void {
  const { text } = cursor;
  for (;;) {
    const char = text.charCodeAt(cursor.at);
    if (char !== 0x20 && char !== 0x0a && char !== 0x0d && char !== 0x09) return;
    cursor.at += 1;
  }
}

function consume(cursor: Cursor, char: number): boolean {
  if (cursor.text.charCodeAt(cursor.at) !== char) return false;
  cursor.at += 1;
  return true;
}

function expectChar(cursor: Cursor, char: number): void {
  if (!consume(cursor, char)) throw malformed(cursor, `expected ${JSON.stringify(String.fromCharCode(char))}`);
}

function isDigit(char: number): boolean {
  return char >= 0x30 && char <= 0x39;
}

function malformed(cursor: Cursor, what: string): PayloadError {
  const where = cursor.at >= cursor.text.length ? 'at the end' : `at offset ${cursor.at}`;
  return new PayloadError('malformed_json', `body is not a single valid JSON object: ${what} ${where}`);
}
