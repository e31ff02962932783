import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { MatcherView, X2jOptions } from 'fast-xml-parser';
import { PayloadError } from './errors.js';
import type { WechatFields, WechatValue } from './fields.js';
import { MAX_NAME_LENGTH, MAX_NESTING_DEPTH } from './limits.js';
import { strictXmlEntities } from './xml-entities.js';
import { isElementName } from './xml-name.js';

const ROOT_ELEMENT = 'xml';
const TEXT_KEY = '#text';

const PARSER_OPTIONS: X2jOptions = {
  // Everything stays a string: "007" must not become 7, MsgId must not lose digits.
  parseTagValue: false,
  // node-webot trims values; chat text is kept byte for byte instead.
  trimValues: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  entityDecoder: strictXmlEntities,
  jPath: false,
  // Backstop only: checkElement reports depth first, with its own code.
  maxNestedTags: MAX_NESTING_DEPTH + 2,
  updateTag: (tagName, matcher) => checkElement(tagName, matcher),
};

/** XML body -> fields of the single <xml> root. Repeated elements become arrays. */
export function parseXmlFields(text: string): WechatFields {
  if (hasDoctype(text)) {
    throw new PayloadError('doctype_forbidden', 'XML DOCTYPE declarations are not accepted');
  }
  // The parser itself tolerates mismatched tags, so well-formedness is checked first.
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    throw new PayloadError('malformed_xml', `body is not well-formed XML: ${validation.err.msg}`);
  }
  let parsed: unknown;
  try {
    parsed = new XMLParser(PARSER_OPTIONS).parse(text);
  } catch (cause) {
    if (cause instanceof PayloadError) throw cause;
    throw new PayloadError('malformed_xml', 'body could not be parsed as XML', { cause });
  }
  return rootFields(parsed);
}

const SECTIONS = [
  { opener: '<![CDATA[', closer: ']]>' },
  { opener: '<!--', closer: '-->' },
] as const;

// Chat text may legitimately contain "<!DOCTYPE" inside CDATA (or a comment),
// so those are stepped over. strictXmlEntities refuses any DOCTYPE the parser
// still meets; this check exists to report one with a stable code even where
// the parser's own DTD reader would fail first (e.g. SYSTEM entities). One
// pass: each terminator is searched for once, and a missing one ends the scan
// (the validator then reports the unclosed section).
function hasDoctype(text: string): boolean {
  let at = text.indexOf('<!');
  while (at >= 0) {
    const section = SECTIONS.find(({ opener }) => text.startsWith(opener, at));
    if (section === undefined) {
      if (text.slice(at + 2, at + 9).toUpperCase() === 'DOCTYPE') return true;
      at = text.indexOf('<!', at + 2);
      continue;
    }
    const end = text.indexOf(section.closer, at + section.opener.length);
    if (end < 0) return false;
    at = text.indexOf('<!', end + section.closer.length);
  }
  return false;
}

function checkElement(tagName: string, matcher: string | MatcherView): string {
  if (tagName.length > MAX_NAME_LENGTH) {
    throw new PayloadError('name_too_long', `an XML element name exceeds ${MAX_NAME_LENGTH} characters`);
  }
  if (!isElementName(tagName)) {
    const shown = JSON.stringify(tagName.slice(0, 32));
    throw new PayloadError('bad_element_name', `invalid XML element name ${shown}`);
  }
  if (typeof matcher !== 'string' && matcher.getDepth() > MAX_NESTING_DEPTH) {
    throw new PayloadError('too_deep', `XML nesting exceeds ${MAX_NESTING_DEPTH} levels`);
  }
  return tagName;
}

function rootFields(parsed: unknown): WechatFields {
  const keys = isRecord(parsed) ? Object.keys(parsed) : [];
  const root = isRecord(parsed) ? parsed[ROOT_ELEMENT] : undefined;
  if (keys.length !== 1 || root === undefined) {
    throw new PayloadError('bad_root', 'XML document must have exactly one <xml> root element');
  }
  if (typeof root === 'string') {
    if (root.trim() !== '') throw new PayloadError('bad_root', '<xml> root holds text, not fields');
    return {};
  }
  if (!isRecord(root)) {
    throw new PayloadError('bad_root', 'XML document must have exactly one <xml> root element');
  }
  return elementFields(root);
}

function elementFields(element: Record<string, unknown>): WechatFields {
  const entries: [string, WechatValue][] = [];
  for (const [key, value] of Object.entries(element)) {
    if (key !== TEXT_KEY) {
      entries.push([key, toValue(value)]);
    } else if (typeof value !== 'string' || value.trim() !== '') {
      // Indentation between elements is dropped; real text beside elements has no field to go to.
      throw new PayloadError('mixed_content', 'XML element mixes text and child elements');
    }
  }
  return Object.fromEntries(entries);
}

function toValue(value: unknown): WechatValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(toValue);
  if (isRecord(value)) return elementFields(value);
  throw new PayloadError('malformed_xml', `unexpected XML node of type ${typeof value}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
