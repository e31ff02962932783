import { describe, expect, it } from 'vitest';
import { readEnvelope } from './envelope.js';
import { parseDocument } from './document.js';
import { sampleMessage, SAMPLE_NAMES } from './testing/sample-messages.js';
import { serializeFields } from './testing/simulate-callback.js';

const refusedWith = (code: string): unknown => expect.objectContaining({ name: 'PayloadError', code });

describe('readEnvelope', () => {
  it('reads a safe-mode JSON envelope', () => {
    expect(readEnvelope('{"ToUserName":"gh_97417a04a28d","Encrypt":"QUJD"}')).toEqual({
      format: 'json',
      encrypt: 'QUJD',
      toUserName: 'gh_97417a04a28d',
      otherFields: 0,
    });
  });

  it('reads a safe-mode XML envelope, with a declaration, comments and split CDATA', () => {
    expect(
      readEnvelope('<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><Encrypt><![CDATA[QUJD]]></Encrypt></xml>'),
    ).toEqual({ format: 'xml', encrypt: 'QUJD', toUserName: 'gh_97417a04a28d', otherFields: 0 });
    const decorated = '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- push -->\n<xml>\n  <ToUserName>gh_&#49;</ToUserName>\n  <Encrypt><![CDATA[QU]]><![CDATA[JD]]></Encrypt>\n</xml>\n';
    expect(readEnvelope(decorated)).toEqual({ format: 'xml', encrypt: 'QUJD', toUserName: 'gh_1', otherFields: 0 });
  });

  it('decodes JSON escapes in keys and in the values it keeps', () => {
    expect(readEnvelope('{"\\u0045ncrypt":"QU\\/JD","ToUserName":"gh\\u005f1"}')).toMatchObject({ encrypt: 'QU/JD', toUserName: 'gh_1' });
    const escaped = '"a\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00z"';
    expect(readEnvelope(`{"ToUserName":${escaped}}`).toUserName).toBe(JSON.parse(escaped));
  });

  it('counts the fields beside Encrypt and ToUserName (a compatible-mode envelope, a plaintext message)', () => {
    for (const name of SAMPLE_NAMES) {
      const fields = sampleMessage(name);
      for (const format of ['json', 'xml'] as const) {
        const envelope = readEnvelope(serializeFields({ ...fields, Encrypt: 'QUJD' }, format));
        expect(envelope).toEqual({ format, encrypt: 'QUJD', toUserName: fields.ToUserName, otherFields: Object.keys(fields).length - 1 });
      }
    }
  });

  it('has no encrypt for a plaintext message', () => {
    const envelope = readEnvelope('{"ToUserName":"gh_1","MsgType":"text","Content":"hi"}');
    expect(envelope).toEqual({ format: 'json', toUserName: 'gh_1', otherFields: 2 });
    expect('encrypt' in envelope).toBe(false);
  });

  it('sniffs JSON even when it looks nothing like the declared Content-Type', () => {
    expect(readEnvelope('\n {"Encrypt":"QUJD"}').format).toBe('json');
  });

  it('accepts every well-formed document the full parser accepts from the samples, nested ones included', () => {
    const nested = { ToUserName: 'gh_1', List: [{ A: '1', B: { C: 'x' } }, { A: '2', B: { C: 'y' } }], N: { M: '' } };
    for (const format of ['json', 'xml'] as const) {
      const body = serializeFields(nested, format);
      expect(parseDocument(body).fields).toEqual(nested);
      expect(readEnvelope(body)).toEqual({ format, toUserName: 'gh_1', otherFields: format === 'json' ? 2 : 3 });
    }
    expect(readEnvelope('{"a":[1,-0.5e+3,true,false,null,{},[]],"b":"\\"\\\\\\b\\f\\n\\r\\t"}').otherFields).toBe(2);
    expect(readEnvelope('<xml><a/><b></b><c>x &lt;&amp;&gt;&quot;&apos;&#x1F600;</c></xml>').otherFields).toBe(3);
  });

  it('refuses an Encrypt or ToUserName that is a container or repeated', () => {
    expect(() => readEnvelope('{"Encrypt":{"a":"b"}}')).toThrow(refusedWith('bad_field'));
    expect(() => readEnvelope('{"ToUserName":1}')).toThrow(refusedWith('bad_field'));
    expect(() => readEnvelope('<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>')).toThrow(refusedWith('bad_field'));
    expect(() => readEnvelope('<xml><Encrypt><a>b</a></Encrypt></xml>')).toThrow(refusedWith('bad_field'));
    expect(() => readEnvelope('{"Encrypt":"a","Encrypt":"a"}')).toThrow(refusedWith('duplicate_key'));
    expect(() => readEnvelope('{"Pad":1,"Pad":1}')).toThrow(refusedWith('duplicate_key'));
  });

  it('refuses a ToUserName longer than an original id could be', () => {
    expect(readEnvelope(`{"ToUserName":"${'g'.repeat(64)}"}`).toUserName).toHaveLength(64);
    expect(() => readEnvelope(`{"ToUserName":"${'g'.repeat(65)}"}`)).toThrow(refusedWith('bad_field'));
    expect(() => readEnvelope(`<xml><ToUserName>${'g'.repeat(65)}</ToUserName></xml>`)).toThrow(refusedWith('bad_field'));
  });

  it.each([
    ['text after the object', '{"a":"b"} x', 'malformed_json'],
    ['two objects', '{}{}', 'malformed_json'],
    ['a trailing comma', '{"a":1,}', 'malformed_json'],
    ['a single-quoted string', "{'a':1}", 'malformed_json'],
    ['a raw control character', '{"a":"\u0001"}', 'malformed_json'],
    ['a bad escape', '{"a":"\\x41"}', 'malformed_json'],
    ['a short unicode escape', '{"a":"\\u12"}', 'malformed_json'],
    ['a leading zero', '{"a":01}', 'malformed_json'],
    ['a bare minus', '{"a":-}', 'malformed_json'],
    ['an unknown literal', '{"a":nul}', 'malformed_json'],
    ['text beside fields', '<xml>hi<a>b</a></xml>', 'mixed_content'],
    ['text in the root', '<xml>hi</xml>', 'bad_root'],
    ['another root element', '<root><a>b</a></root>', 'bad_root'],
    ['two roots', '<xml></xml><xml></xml>', 'bad_root'],
    ['text after the root', '<xml></xml>hi', 'malformed_xml'],
    ['a mismatched end tag', '<xml><a>b</c></xml>', 'malformed_xml'],
    ['an attribute', '<xml><a b="c">d</a></xml>', 'attribute_forbidden'],
    ['an unknown entity', '<xml><a>&nbsp;</a></xml>', 'bad_entity'],
    ['a bare ampersand', '<xml><a>a & b</a></xml>', 'bad_entity'],
    ['a DOCTYPE', '<!DOCTYPE xml><xml></xml>', 'doctype_forbidden'],
    ['a DOCTYPE inside', '<xml><!doctype x></xml>', 'doctype_forbidden'],
    ['a bad element name', '<xml><a!>b</a!></xml>', 'bad_element_name'],
    ['a digit starting a name', '<xml><1a>b</1a></xml>', 'malformed_xml'],
  ])('refuses %s', (_name, body, code) => {
    expect(() => readEnvelope(body)).toThrow(refusedWith(code));
  });
});
