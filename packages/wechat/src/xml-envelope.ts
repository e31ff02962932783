import { envelopeMember, type EnvelopeFields } from './envelope-fields.js';
import { PayloadError } from './errors.js';
import { MAX_NAME_LENGTH, MAX_NESTING_DEPTH } from './limits.js';
import { resolveReference } from './xml-entities.js';
import { isElementName } from './xml-name.js';

const ROOT_ELEMENT = 'xml';
const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const AMPERSAND = 0x26;
const SEMICOLON = 0x3b;
// The longest reference worth reading: "#x10FFFF" or "#1114111".
const MAX_REFERENCE_LENGTH = 8;

interface Cursor {
  readonly text: string;
  at: number;
  // Global, so exec starts at lastIndex; made for each read, never shared between calls.
  readonly markup: RegExp;
  readonly nonSpace: RegExp;
}

interface Content {
  hasChildren: boolean;
  /** Anything but whitespace outside child elements: text, a reference, CDATA. */
  hasText: boolean;
  /** The decoded text, kept only when asked for. */
  readonly parts: string[] | undefined;
}

/** Reads one child element from its `<` at `depth`, consuming it whole. */
type ChildReader = (cursor: Cursor, depth: number) => void;

/**
 * The top level of an `<xml>` envelope, read in one pass that also checks the
 * whole text is well-formed in the subset WeChat writes: elements, text,
 * references, CDATA, comments and processing instructions; no DOCTYPE, no
 * attributes, no text beside child elements, nesting and names bounded.
 * Every terminator is searched for once from where its construct starts and
 * a missing one ends the read, so the cost is linear in the text whatever it
 * holds (a regex that retries from every unclosed `<!--` is quadratic).
 */
export function readXmlEnvelope(text: string, start: number): EnvelopeFields {
  const cursor: Cursor = { text, at: start, markup: /[<&]/g, nonSpace: /[^ \t\r\n]/g };
  const fields: EnvelopeFields = { otherFields: 0 };
  skipMisc(cursor);
  const root = readStartTag(cursor);
  if (root.name !== ROOT_ELEMENT) throw badRoot();
  if (!root.empty) {
    const content = readContent(cursor, ROOT_ELEMENT, 1, false, (child) => readRootChild(child, fields));
    // readContent already refused text beside fields.
    if (content.hasText) throw new PayloadError('bad_root', '<xml> root holds text, not fields');
  }
  skipMisc(cursor);
  if (cursor.at < text.length) throw text.charCodeAt(cursor.at) === LT ? badRoot() : malformed(cursor, 'text after the root element');
  return fields;
}

function readRootChild(cursor: Cursor, fields: EnvelopeFields): void {
  const { name, empty } = readStartTag(cursor);
  const member = envelopeMember(name);
  if (member === undefined) {
    fields.otherFields += 1;
    if (!empty) readContent(cursor, name, 2, false, skipElement);
    return;
  }
  if (fields[member] !== undefined) throw new PayloadError('bad_field', `${name} must be a single text value`);
  const refuseChild: ChildReader = () => {
    throw new PayloadError('bad_field', `${name} must be a single text value`);
  };
  fields[member] = empty ? '' : (readContent(cursor, name, 2, true, refuseChild).parts ?? []).join('');
}

const skipElement: ChildReader = (cursor, depth) => {
  const { name, empty } = readStartTag(cursor);
  if (!empty) readContent(cursor, name, depth, false, skipElement);
};

/** `<name>` or `<name/>`, from the `<`. */
function readStartTag(cursor: Cursor): { name: string; empty: boolean } {
  if (cursor.text.charCodeAt(cursor.at) !== LT) throw malformed(cursor, 'expected an element');
  cursor.at += 1;
  const name = readName(cursor);
  skipSpace(cursor);
  if (consume(cursor, GT)) return { name, empty: false };
  if (consume(cursor, SLASH) && consume(cursor, GT)) return { name, empty: true };
  if (isNameStart(cursor.text.charCodeAt(cursor.at))) {
    throw new PayloadError('attribute_forbidden', 'XML attributes are not accepted');
  }
  throw malformed(cursor, 'unterminated start tag');
}

/** Everything after a start tag up to and including its end tag. */
function readContent(cursor: Cursor, name: string, depth: number, keepText: boolean, readChild: ChildReader): Content {
  const { text, markup, nonSpace } = cursor;
  const content: Content = { hasChildren: false, hasText: false, parts: keepText ? [] : undefined };
  for (;;) {
    // Text runs to the next < or &, found natively. `nonSpace` stops at that character at the
    // latest, so no character is looked at more than twice.
    markup.lastIndex = cursor.at;
    const next = markup.exec(text)?.index ?? text.length;
    if (!content.hasText) {
      nonSpace.lastIndex = cursor.at;
      content.hasText = (nonSpace.exec(text)?.index ?? text.length) < next;
    }
    content.parts?.push(text.slice(cursor.at, next));
    cursor.at = next;
    if (next === text.length) throw malformed(cursor, `unclosed element <${name.slice(0, 32)}>`);
    if (text.charCodeAt(next) === AMPERSAND) {
      // Read before the push: `parts?.push(...)` would skip evaluating its argument.
      const resolved = readReference(cursor);
      content.parts?.push(resolved);
      content.hasText = true;
    } else if (readMarkup(cursor, name, depth, content, readChild)) {
      break;
    }
  }
  if (content.hasChildren && content.hasText) throw mixedContent();
  return content;
}

/** The construct at a `<` inside an element; true once it was the element's end tag. */
function readMarkup(cursor: Cursor, name: string, depth: number, content: Content, readChild: ChildReader): boolean {
  const { text, at } = cursor;
  if (text.charCodeAt(at + 1) === SLASH) {
    readEndTag(cursor, name);
    return true;
  }
  if (text.startsWith('<![CDATA[', at)) {
    const cdata = readUntil(cursor, at + 9, ']]>', 'unclosed CDATA section');
    content.parts?.push(cdata);
    if (/[^ \t\r\n]/.test(cdata)) content.hasText = true;
  } else if (!skipCommentOrInstruction(cursor)) {
    if (depth >= MAX_NESTING_DEPTH) throw new PayloadError('too_deep', `XML nesting exceeds ${MAX_NESTING_DEPTH} levels`);
    content.hasChildren = true;
    readChild(cursor, depth + 1);
  }
  return false;
}

function readEndTag(cursor: Cursor, name: string): void {
  cursor.at += 2;
  const closing = readName(cursor);
  skipSpace(cursor);
  if (closing !== name || !consume(cursor, GT)) throw malformed(cursor, `mismatched end tag for <${name.slice(0, 32)}>`);
}

/** Skips a comment or processing instruction at the cursor; false when something else is there. */
function skipCommentOrInstruction(cursor: Cursor): boolean {
  const { text, at } = cursor;
  if (text.startsWith('<!--', at)) {
    readUntil(cursor, at + 4, '-->', 'unclosed comment');
    return true;
  }
  if (text.startsWith('<?', at)) {
    readUntil(cursor, at + 2, '?>', 'unclosed processing instruction');
    return true;
  }
  if (text.startsWith('<!', at)) {
    if (text.slice(at + 2, at + 9).toUpperCase() === 'DOCTYPE') {
      throw new PayloadError('doctype_forbidden', 'XML DOCTYPE declarations are not accepted');
    }
    throw malformed(cursor, 'unexpected "<!"');
  }
  return false;
}

/** Whitespace, comments and processing instructions around the root element. */
function skipMisc(cursor: Cursor): void {
  do skipSpace(cursor);
  while (cursor.text.charCodeAt(cursor.at) === LT && skipCommentOrInstruction(cursor));
}

/** The text from `from` to the next `terminator`, leaving the cursor after it. */
function readUntil(cursor: Cursor, from: number, terminator: string, problem: string): string {
  const end = cursor.text.indexOf(terminator, from);
  if (end < 0) throw malformed(cursor, problem);
  cursor.at = end + terminator.length;
  return cursor.text.slice(from, end);
}

function readName(cursor: Cursor): string {
  const { text } = cursor;
  const start = cursor.at;
  if (!isNameStart(text.charCodeAt(start))) throw malformed(cursor, 'expected an element name');
  let end = start + 1;
  while (end < text.length && !endsName(text.charCodeAt(end))) {
    end += 1;
    if (end - start > MAX_NAME_LENGTH) throw new PayloadError('name_too_long', `an XML element name exceeds ${MAX_NAME_LENGTH} characters`);
  }
  const name = text.slice(start, end);
  if (!isElementName(name)) throw new PayloadError('bad_element_name', `invalid XML element name ${JSON.stringify(name.slice(0, 32))}`);
  cursor.at = end;
  return name;
}

/** `&name;` from the `&`, resolved. */
function readReference(cursor: Cursor): string {
  const { text } = cursor;
  const start = cursor.at + 1;
  let end = start;
  while (end - start <= MAX_REFERENCE_LENGTH && end < text.length && text.charCodeAt(end) !== SEMICOLON) end += 1;
  if (text.charCodeAt(end) !== SEMICOLON) throw new PayloadError('bad_entity', 'a bare "&" or an overlong reference in XML text');
  cursor.at = end + 1;
  return resolveReference(text.slice(start, end));
}

function skipSpace(cursor: Cursor): void {
  while (isSpace(cursor.text.charCodeAt(cursor.at))) cursor.at += 1;
}

function consume(cursor: Cursor, char: number): boolean {
  if (cursor.text.charCodeAt(cursor.at) !== char) return false;
  cursor.at += 1;
  return true;
}

function isSpace(char: number): boolean {
  return char === 0x20 || char === 0x0a || char === 0x0d || char === 0x09;
}

/** A letter, `_`, or any non-ASCII character (isElementName decides on those). */
function isNameStart(char: number): boolean {
  return (char >= 0x61 && char <= 0x7a) || (char >= 0x41 && char <= 0x5a) || char === 0x5f || char >= 0x80;
}

function endsName(char: number): boolean {
  return isSpace(char) || char === GT || char === SLASH || char === LT || char === 0x3d /* = */;
}

function badRoot(): PayloadError {
  return new PayloadError('bad_root', 'XML document must have exactly one <xml> root element');
}

function mixedContent(): PayloadError {
  return new PayloadError('mixed_content', 'XML element mixes text and child elements');
}

function malformed(cursor: Cursor, what: string): PayloadError {
  const where = cursor.at >= cursor.text.length ? 'at the end' : `at offset ${cursor.at}`;
  return new PayloadError('malformed_xml', `body is not well-formed XML: ${what} ${where}`);
}
