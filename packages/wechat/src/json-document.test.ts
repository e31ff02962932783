import { describe, expect, it } from 'vitest';
import { parseJsonFields } from './json-document.js';
import { MAX_NESTING_DEPTH } from './limits.js';

function expectPayloadError(text: string, code: string): void {
  expect(() => parseJsonFields(text)).toThrow(expect.objectContaining({ name: 'PayloadError', code }));
}

describe('parseJsonFields', () => {
  it('keeps MsgIds above 2^53 exact and distinct', () => {
    const ids = ['22223624286040849', '22223624286040848', '22223624286040850'];
    const parsed = ids.map((id) => parseJsonFields(`{"MsgId":${id}}`).MsgId);
    expect(parsed).toEqual(ids);
    // What JSON.parse would have done:
    expect(new Set(ids.map((id) => String((JSON.parse(`{"MsgId":${id}}`) as { MsgId: number }).MsgId))).size).toBe(1);
  });

  it('turns numbers into their exact source text', () => {
    expect(parseJsonFields('{"a":1714112445,"b":-0,"c":1.50e3,"d":0.1}')).toEqual({
      a: '1714112445',
      b: '-0',
      c: '1.50e3',
      d: '0.1',
    });
  });

  it('gives the same CreateTime whether it arrives as a number or a string', () => {
    expect(parseJsonFields('{"CreateTime":1610969440}')).toEqual(
      parseJsonFields('{"CreateTime":"1610969440"}'),
    );
  });

  it("maps true/false to 'true'/'false' and null to ''", () => {
    expect(parseJsonFields('{"t":true,"f":false,"n":null}')).toEqual({ t: 'true', f: 'false', n: '' });
  });

  it('keeps a subscribe-message List as received: object for one item, array for several', () => {
    const one = parseJsonFields('{"List":{"TemplateId":"t1","MsgID":1864323726461255680}}');
    const many = parseJsonFields('{"List":[{"TemplateId":"t1"},{"TemplateId":"t2"}]}');
    expect(one.List).toEqual({ TemplateId: 't1', MsgID: '1864323726461255680' });
    expect(many.List).toEqual([{ TemplateId: 't1' }, { TemplateId: 't2' }]);
  });

  it('keeps strings exactly, including whitespace, escapes and astral characters', () => {
    expect(parseJsonFields('{"Content":"  007 \\n\\u4f60\\ud83d\\ude00 "}').Content).toBe('  007 \n你😀 ');
  });

  it('keeps "__proto__" as a plain data key without touching the prototype', () => {
    const fields = parseJsonFields('{"__proto__":{"polluted":"yes"},"a":"b"}');
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    expect(Object.keys(fields)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects a key repeated with a different value, which parsers resolve differently', () => {
    expectPayloadError('{"MsgId":1,"MsgId":2}', 'duplicate_key');
    expectPayloadError('{"a":{"b":"1"},"a":{"b":"2"}}', 'duplicate_key');
    // An exact repeat is unambiguous.
    expect(parseJsonFields('{"a":1,"a":1}')).toEqual({ a: '1' });
  });

  it.each([
    ['an array root', '[{"a":1}]'],
    ['a string root', '"x"'],
    ['a number root', '1'],
    ['a null root', 'null'],
  ])('rejects %s', (_label, text) => {
    expectPayloadError(text, 'bad_root');
  });

  it.each([
    ['two documents', '{"a":1}{"b":2}'],
    ['trailing text', '{"a":1} success'],
    ['a truncated document', '{"a":"b'],
    ['a trailing comma', '{"a":1,}'],
    ['single quotes', "{'a':1}"],
    ['an unquoted key', '{a:1}'],
    ['the empty string', ''],
  ])('rejects %s as malformed_json', (_label, text) => {
    expectPayloadError(text, 'malformed_json');
  });

  it(`accepts ${MAX_NESTING_DEPTH} levels of nesting and rejects one more`, () => {
    const nested = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;
    expect(() => parseJsonFields(nested(MAX_NESTING_DEPTH))).not.toThrow();
    expectPayloadError(nested(MAX_NESTING_DEPTH + 1), 'too_deep');
    expectPayloadError(`{"a":${'['.repeat(40)}${']'.repeat(40)}}`, 'too_deep');
  });

  it('reports stack-exhausting nesting as too_deep before the parser recurses', () => {
    expectPayloadError(`{"a":${'['.repeat(200_000)}`, 'too_deep');
  });

  it('does not count brackets inside strings, including after escaped quotes', () => {
    const brackets = '[{'.repeat(100);
    // JSON text "\\\"[{..." is an escaped backslash, then an escaped quote, then more brackets.
    const text = String.raw`{"a":"${brackets}","b":"\\\"${brackets}"}`;
    expect(parseJsonFields(text)).toEqual({ a: brackets, b: `\\"${brackets}` });
  });
});
