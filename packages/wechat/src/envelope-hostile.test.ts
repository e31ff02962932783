// Adversarial bodies at the receiver's default body limit: each is refused
// with a code that names the problem. That they cost time linear in their
// size is shown by bench/pre-verification and the hostile-receiver
// integration test, not by timing here.
import { describe, expect, it } from 'vitest';
import { readEnvelope } from './envelope.js';
import { parseDocument } from './document.js';
import { MAX_NAME_LENGTH } from './limits.js';
import { HOSTILE_BODY_FAMILIES, filledBody } from './testing/hostile-bodies.js';

const BODY_LIMIT = 256 * 1024;

describe('adversarial bodies at the body limit', () => {
  it.each(HOSTILE_BODY_FAMILIES.map((family) => [family.name, family] as const))('refuses %s', (_name, family) => {
    const body = family.build(BODY_LIMIT);
    expect(body.length).toBeGreaterThan(BODY_LIMIT - 10);
    expect(() => readEnvelope(body)).toThrow(expect.objectContaining({ name: 'PayloadError', code: family.code }));
  });

  it('reads a well-formed envelope of the same size that merely holds a lot', () => {
    const json = filledBody(BODY_LIMIT, '{"ToUserName":"gh_1","Encrypt":"QUJD","List":[', '{"k":"v","n":[1,2]},', '{}]}');
    expect(readEnvelope(json)).toEqual({ format: 'json', toUserName: 'gh_1', encrypt: 'QUJD', otherFields: 1 });
    const xml = filledBody(BODY_LIMIT, '<xml><ToUserName>gh_1</ToUserName><Encrypt>QUJD</Encrypt>', '<a><b><![CDATA[x]]></b><!-- c --></a>', '</xml>');
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
