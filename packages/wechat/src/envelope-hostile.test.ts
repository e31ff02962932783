// Adversarial bodies at the receiver's default body limit: each is refused
// with a code that names the problem. That they cost time linear in their
// size is shown by bench/pre-verification and the hostile-receiver
// integration test, not by timing here.
import { describe, expect, it } from 'vitest';
import { readEnvelope } from './envelope.js';
import { parseDocument } from './document.js';
import { MAX_NAME_LENGTH } from './limits.js';

const BODY_LIMIT = 256 * 1024;

/** `head`, then `unit` repeated to fill the limit, then `tail`. */
function filled(head: string, unit: string, tail = ''): string {
  return head + unit.repeat(Math.floor((BODY_LIMIT - head.length - tail.length) / unit.length)) + tail;
}

const HOSTILE: readonly (readonly [string, string, string])[] = [
  ['unclosed comments', filled('<xml>', '<!--'), 'malformed_xml'],
  ['unclosed CDATA sections', filled('<xml><a>', '<![CDATA['), 'malformed_xml'],
  ['CDATA terminators without an opener', filled('<xml><a>', ']]'), 'malformed_xml'],
  ['unclosed processing instructions', filled('<xml>', '<?'), 'malformed_xml'],
  ['deep XML nesting', filled('<xml>', '<a>'), 'too_deep'],
  ['a very long element name', filled('<xml><', 'a'), 'name_too_long'],
  ['a very long end-tag name', filled('<xml><a></', 'a'), 'name_too_long'],
  ['thousands of attributes', filled('<xml><a ', 'b="c" '), 'attribute_forbidden'],
  ['a long run of <', filled('<xml>', '<'), 'malformed_xml'],
  ['a body of < only', filled('', '<'), 'malformed_xml'],
  ['a long run of &', filled('<xml><a>', '&'), 'bad_entity'],
  ['a reference without its semicolon', filled('<xml><a>&', 'a'), 'bad_entity'],
  ['repeated DOCTYPE openers', filled('<xml>', '<!DOCTYPE'), 'doctype_forbidden'],
  ['deep JSON objects', filled('', '{"a":'), 'too_deep'],
  ['deep JSON arrays', filled('{"a":', '['), 'too_deep'],
  ['a long run of {', filled('', '{'), 'malformed_json'],
  ['a long run of "', filled('{', '"'), 'malformed_json'],
  ['a long run of \\', filled('{"a":"', '\\'), 'malformed_json'],
  ['escaped quotes never closed', filled('{"a":"', '\\"'), 'malformed_json'],
  ['a very long JSON key', filled('{"', 'a'), 'name_too_long'],
  ['a long run of :', filled('{', ':'), 'malformed_json'],
  ['a number that never ends', filled('{"a":', '1'), 'malformed_json'],
];

describe('adversarial bodies at the body limit', () => {
  it.each(HOSTILE)('refuses %s', (_family, body, code) => {
    expect(body.length).toBeGreaterThan(BODY_LIMIT - 10);
    expect(() => readEnvelope(body)).toThrow(expect.objectContaining({ name: 'PayloadError', code }));
  });

  it('reads a well-formed envelope of the same size that merely holds a lot', () => {
    const json = filled('{"ToUserName":"gh_1","Encrypt":"QUJD","List":[', '{"k":"v","n":[1,2]},', '{}]}');
    expect(readEnvelope(json)).toEqual({ format: 'json', toUserName: 'gh_1', encrypt: 'QUJD', otherFields: 1 });
    const xml = filled('<xml><ToUserName>gh_1</ToUserName><Encrypt>QUJD</Encrypt>', '<a><b><![CDATA[x]]></b><!-- c --></a>', '</xml>');
    expect(readEnvelope(xml).otherFields).toBeGreaterThan(5_000);
  });
});

describe('names are bounded in the full parser too', () => {
  const name = 'A'.repeat(MAX_NAME_LENGTH + 1);

  it('refuses an overlong key or element name after verification as well', () => {
    for (const body of [`{"${name}":"x"}`, `<xml><${name}>x</${name}></xml>`]) {
      expect(() => parseDocument(body)).toThrow(expect.objectContaining({ code: 'name_too_long' }));
    }
    const longest = 'A'.repeat(MAX_NAME_LENGTH);
    expect(parseDocument(`{"${longest}":"x"}`).fields).toEqual({ [longest]: 'x' });
  });
});
