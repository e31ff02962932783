// Bodies an attacker can send before any signature is checked, each built to
// a requested size: the unit tests, the hostile-receiver integration test and
// bench/pre-verification all use this one list.
import type { PayloadErrorCode } from '../errors.js';

export interface HostileBodyFamily {
  readonly name: string;
  /** The PayloadError code readEnvelope refuses it with. */
  readonly code: PayloadErrorCode;
  /** A body of about `size` characters (never more). */
  readonly build: (size: number) => string;
}

/** `head`, then `unit` as often as fits in `size` with `tail`, then `tail`. */
export function filledBody(size: number, head: string, unit: string, tail = ''): string {
  const units = Math.max(0, Math.floor((size - head.length - tail.length) / unit.length));
  return head + unit.repeat(units) + tail;
}

function family(name: string, code: PayloadErrorCode, head: string, unit: string, tail = ''): HostileBodyFamily {
  return { name, code, build: (size) => filledBody(size, head, unit, tail) };
}

export const HOSTILE_BODY_FAMILIES: readonly HostileBodyFamily[] = [
  family('unclosed comments', 'malformed_xml', '<xml>', '<!--'),
  family('unclosed CDATA sections', 'malformed_xml', '<xml><a>', '<![CDATA['),
  family('CDATA terminators without an opener', 'malformed_xml', '<xml><a>', ']]'),
  family('unclosed processing instructions', 'malformed_xml', '<xml>', '<?'),
  family('deep XML nesting', 'too_deep', '<xml>', '<a>'),
  family('a very long element name', 'name_too_long', '<xml><', 'a'),
  family('a very long end-tag name', 'name_too_long', '<xml><a></', 'a'),
  family('thousands of attributes', 'attribute_forbidden', '<xml><a ', 'b="c" '),
  family('a long run of <', 'malformed_xml', '<xml>', '<'),
  family('a body of < only', 'malformed_xml', '', '<'),
  family('a long run of &', 'bad_entity', '<xml><a>', '&'),
  family('a reference without its semicolon', 'bad_entity', '<xml><a>&', 'a'),
  family('repeated DOCTYPE openers', 'doctype_forbidden', '<xml>', '<!DOCTYPE'),
  family('deep JSON objects', 'too_deep', '', '{"a":'),
  family('deep JSON arrays', 'too_deep', '{"a":', '['),
  family('a long run of {', 'malformed_json', '', '{'),
  family('a long run of "', 'malformed_json', '{', '"'),
  family('a long run of \\', 'malformed_json', '{"a":"', '\\'),
  family('escaped quotes never closed', 'malformed_json', '{"a":"', '\\"'),
  family('a very long JSON key', 'name_too_long', '{"', 'a'),
  family('a long run of :', 'malformed_json', '{', ':'),
  family('a number that never ends', 'malformed_json', '{"a":', '1'),
];
