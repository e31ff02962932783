import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from './document.js';
import { readEnvelope, type Envelope } from './envelope.js';
import { PayloadError } from './errors.js';
import { optionalText } from './fields.js';

describe('readEnvelope', () => {
  it('reads a safe-mode JSON envelope', () => {
    expect(readEnvelope('{"ToUserName":"gh_97417a04a28d","Encrypt":"QUJD"}')).toEqual({
      format: 'json',
      encrypt: 'QUJD',
      toUserName: 'gh_97417a04a28d',
    });
  });

  it('reads a safe-mode XML envelope', () => {
    expect(
      readEnvelope('<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><Encrypt><![CDATA[QUJD]]></Encrypt></xml>'),
    ).toEqual({ format: 'xml', encrypt: 'QUJD', toUserName: 'gh_97417a04a28d' });
  });

  it('has no encrypt for a plaintext message', () => {
    const envelope = readEnvelope('{"ToUserName":"gh_1","MsgType":"text","Content":"hi"}');
    expect(envelope).toEqual({ format: 'json', toUserName: 'gh_1' });
    expect('encrypt' in envelope).toBe(false);
  });

  it('sniffs JSON even when it looks nothing like the declared Content-Type', () => {
    expect(readEnvelope('\n {"Encrypt":"QUJD"}').format).toBe('json');
  });

  it('rejects an Encrypt that is a container, and unparseable bodies', () => {
    expect(() => readEnvelope('{"Encrypt":{"a":"b"}}')).toThrow(
      expect.objectContaining({ name: 'PayloadError', code: 'bad_field' }),
    );
    expect(() => readEnvelope('<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>')).toThrow(
      expect.objectContaining({ name: 'PayloadError', code: 'bad_field' }),
    );
    expect(() => readEnvelope('success')).toThrow(expect.objectContaining({ name: 'PayloadError' }));
  });
});

/** readEnvelope as it was before the JSON fast path: everything through the lossless parser. */
function losslessEnvelope(body: string): Envelope {
  const { format, fields } = parseDocument(body);
  const envelope: Envelope = { format };
  const encrypt = optionalText(fields, 'Encrypt');
  const toUserName = optionalText(fields, 'ToUserName');
  if (encrypt !== undefined) envelope.encrypt = encrypt;
  if (toUserName !== undefined) envelope.toUserName = toUserName;
  return envelope;
}

type Outcome = { value: Envelope } | { error: string };

function outcome(read: (body: string) => Envelope, body: string): Outcome {
  try {
    return { value: read(body) };
  } catch (error) {
    if (!(error instanceof PayloadError)) throw error;
    return { error: `${error.name}:${error.code}` };
  }
}

function expectSameAsLossless(body: string): void {
  expect(outcome(readEnvelope, body), JSON.stringify(body)).toEqual(outcome(losslessEnvelope, body));
}

const nested = (levels: number) => `{"Encrypt":"x","a":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;

describe('readEnvelope JSON fast path gives the lossless answer', () => {
  it.each([
    ['duplicate key, different values', '{"Encrypt":"a","Encrypt":"b"}'],
    ['duplicate key, same value', '{"Encrypt":"a","Encrypt":"a"}'],
    ['duplicate key deep inside', '{"Encrypt":"a","x":{"y":1,"y":2}}'],
    ['same number written twice differently', '{"Encrypt":"a","n":1,"n":1.0}'],
    ['duplicate inside an array item', '{"Encrypt":"a","l":[{"k":"1","k":"2"}]}'],
    ['numeric Encrypt', '{"Encrypt":1}'],
    ['huge numeric ToUserName', '{"ToUserName":1e400}'],
    ['exact big integer ToUserName', '{"ToUserName":22223624286040849}'],
    ['negative zero Encrypt', '{"Encrypt":-0}'],
    ['boolean Encrypt', '{"Encrypt":true}'],
    ['null Encrypt', '{"Encrypt":null}'],
    ['array Encrypt', '{"Encrypt":["a"]}'],
    ['empty Encrypt', '{"Encrypt":""}'],
    ['__proto__ key', '{"__proto__":{"Encrypt":"p"},"ToUserName":"gh"}'],
    ['__proto__ key twice', '{"__proto__":1,"__proto__":2,"Encrypt":"a"}'],
    ['escaped quotes and backslashes', '{"Encrypt":"a\\"b\\\\","ToUserName":"\\\\\\""}'],
    ['structure characters inside strings', '{"Encrypt":"{[:,]}","x":"::::","y":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}'],
    ['unicode escapes and lone surrogates', '{"Encrypt":"\\u0041\\ud800","ToUserName":"😀"}'],
    ['byte-order mark', '\uFEFF{"Encrypt":"QUJD"}'],
    ['leading whitespace', ' \n{"Encrypt":"QUJD"}'],
    ['non-JSON leading space', '\u00A0{"Encrypt":"QUJD"}'],
    ['trailing whitespace', '{"Encrypt":"QUJD"} \r\n\t'],
    ['trailing garbage', '{"Encrypt":"QUJD"}x'],
    ['two documents', '{"Encrypt":"a"}{"Encrypt":"b"}'],
    ['unterminated string', '{"Encrypt":"QUJD}'],
    ['string ending in an escaped quote', '{"Encrypt":"QUJD\\"}'],
    ['raw control character', '{"Encrypt":"a\u0001b"}'],
    ['bad escape', '{"Encrypt":"\\x41"}'],
    ['nesting at the limit', nested(32)],
    ['nesting past the limit', nested(33)],
    ['nesting past the limit and malformed', `{"a":${'['.repeat(40)}`],
    ['array root', '[{"Encrypt":"a"}]'],
    ['empty object', '{}'],
    ['whitespace everywhere', '{ "Encrypt" : "a" , "ToUserName" : "b" }'],
    ['a leading zero', '{"Encrypt":"a","n":01}'],
    ['oversize', `{"Encrypt":"${'A'.repeat(1_048_576)}"}`],
  ])('%s', (_label, body) => {
    expectSameAsLossless(body);
  });

  it('on generated envelopes, plaintext messages and damaged copies of them', () => {
    const key = fc.constantFrom('Encrypt', 'ToUserName', 'MsgType', 'a', '__proto__', 'Encrypt ');
    const value = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.json({ maxDepth: 2 }).map((json) => JSON.parse(json) as unknown));
    const members = fc.array(fc.tuple(key, value), { maxLength: 5 });
    const junk = fc.constantFrom('', '}', '{', '"', ',', ':', '\\', '[', ']', '\u0000', '1e999', '\uFEFF', ' ');
    fc.assert(
      fc.property(members, fc.nat(), junk, (pairs, at, insert) => {
        // Written by hand so keys can repeat, as a hostile sender could.
        const body = `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`;
        expectSameAsLossless(body);
        const index = at % (body.length + 1);
        expectSameAsLossless(body.slice(0, index) + insert + body.slice(index));
        expectSameAsLossless(body.slice(0, index));
      }),
      { numRuns: 500 },
    );
  });
});
