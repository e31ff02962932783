import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PayloadError } from './errors.js';
import type { WechatFields } from './fields.js';
import { parseJsonFields, parseLosslessJsonFields } from './json-document.js';
import { fastJsonFields } from './json-fast-path.js';
import { SAMPLE_NAMES, sampleMessage, serializeFields } from './testing/index.js';

type Outcome = { value: WechatFields; prototype: unknown } | { error: string };

function outcome(parse: (text: string) => WechatFields, text: string): Outcome {
  try {
    const value = parse(text);
    return { value, prototype: Object.getPrototypeOf(value) };
  } catch (error) {
    if (!(error instanceof PayloadError)) throw error;
    return { error: `${error.name}:${error.code}` };
  }
}

function expectSameAsLossless(text: string): void {
  expect(outcome(parseJsonFields, text), JSON.stringify(text)).toEqual(outcome(parseLosslessJsonFields, text));
}

const nested = (levels: number) => `{"Encrypt":"x","a":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;

describe('fastJsonFields', () => {
  it.each(SAMPLE_NAMES)('answers for a real %s callback, with the lossless fields', (name) => {
    const text = serializeFields(sampleMessage(name), 'json');
    const fast = fastJsonFields(text);
    expect(fast).toBeDefined();
    expect(fast).toEqual(parseLosslessJsonFields(text));
  });

  it('keeps numbers as their exact source text, MsgIds beyond 2^53 included', () => {
    expect(fastJsonFields('{"MsgId":22223624286040849,"b":-0,"c":1.50e3,"d":[1E+2,0.1],"e":{"f":1e400}}')).toEqual({
      MsgId: '22223624286040849',
      b: '-0',
      c: '1.50e3',
      d: ['1E+2', '0.1'],
      e: { f: '1e400' },
    });
  });

  it.each([
    ['a repeated key', '{"a":"1","a":"2"}'],
    ['an exactly repeated key', '{"a":1,"a":1}'],
    ['a key that JavaScript orders first', '{"b":1.0,"0":1}'],
    ['leading whitespace', ' {"a":1}'],
    ['malformed JSON', '{"a":1,}'],
    ['an unterminated string', '{"a":"b'],
    ['nesting past the limit', nested(33)],
  ])('steps aside for %s', (_label, text) => {
    expect(fastJsonFields(text)).toBeUndefined();
  });
});

describe('parseJsonFields gives the lossless answer', () => {
  it.each([
    ['duplicate key, different values', '{"Encrypt":"a","Encrypt":"b"}'],
    ['duplicate key, same value', '{"Encrypt":"a","Encrypt":"a"}'],
    ['duplicate key deep inside', '{"Encrypt":"a","x":{"y":1,"y":2}}'],
    ['same number written twice differently', '{"Encrypt":"a","n":1,"n":1.0}'],
    ['duplicate inside an array item', '{"Encrypt":"a","l":[{"k":"1","k":"2"}]}'],
    ['index-like keys with equal numbers written differently', '{"b":1.0,"0":1,"c":{"d":1e0,"7":10e-1}}'],
    ['index-like keys with numbers', '{"z":1,"2":22223624286040849,"1":[3,4],"a":{"9":5,"x":6}}'],
    ['numbers everywhere', '{"a":[1,-2,3.5,-0,1e-7,1E+21,22223624286040850],"b":{"c":[[1],[2,{"d":3}]]}}'],
    ['huge and tiny numbers', '{"a":1e400,"b":-1e400,"c":1e-400,"d":123456789012345678901234567890}'],
    ['booleans and null', '{"t":true,"f":false,"n":null,"l":[true,null,false]}'],
    ['__proto__ key', '{"__proto__":{"Encrypt":"p"},"ToUserName":"gh"}'],
    ['__proto__ key with a number', '{"__proto__":7,"a":1}'],
    ['__proto__ key twice', '{"__proto__":1,"__proto__":2,"Encrypt":"a"}'],
    ['escaped quotes and backslashes', '{"Encrypt":"a\\"b\\\\","ToUserName":"\\\\\\""}'],
    ['structure and number characters inside strings', '{"a":"{[:,]}-1","x":"::::12","y":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}'],
    ['unicode escapes and lone surrogates', '{"Encrypt":"\\u0041\\ud800","ToUserName":"😀"}'],
    ['byte-order mark', '\uFEFF{"Encrypt":"QUJD"}'],
    ['trailing whitespace', '{"Encrypt":"QUJD"} \r\n\t'],
    ['trailing garbage', '{"Encrypt":"QUJD"}x'],
    ['trailing number', '{"a":1}2'],
    ['two documents', '{"Encrypt":"a"}{"Encrypt":"b"}'],
    ['raw control character', '{"Encrypt":"a\u0001b"}'],
    ['bad escape', '{"Encrypt":"\\x41"}'],
    ['a leading zero', '{"Encrypt":"a","n":01}'],
    ['a lone minus', '{"n":-}'],
    ['a bare exponent', '{"n":1e}'],
    ['nesting at the limit', nested(32)],
    ['nesting past the limit', nested(33)],
    ['nesting past the limit and malformed', `{"a":${'['.repeat(40)}`],
    ['array root', '[{"Encrypt":"a"}]'],
    ['empty object', '{}'],
    ['whitespace everywhere', '{ "Encrypt" : 1 , "ToUserName" : [ 2 , "b" ] }'],
    ['oversize', `{"Encrypt":"${'A'.repeat(1_048_576)}"}`],
  ])('%s', (_label, text) => {
    expectSameAsLossless(text);
  });

  it('on generated documents and damaged copies of them', () => {
    const key = fc.constantFrom('MsgId', 'Encrypt', 'a', '0', '12', '__proto__', 'a ');
    const bigInteger = fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((n) => ({ raw: n.toString() }));
        // Equal numbers written differently catch a number given to the wrong member.
    const sameNumber = fc.constantFrom('1', '1.0', '1e0', '10e-1').map((raw) => ({ raw }));
    const scalar: fc.Arbitrary<Written> = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      bigInteger,
      sameNumber,
    );
    const value: fc.Arbitrary<Written> = fc.letrec<{ node: Written }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('node'), { maxLength: 3 }).map((items): Written => ({ items })),
        fc.array(fc.tuple(key, tie('node')), { maxLength: 4 }).map((members): Written => ({ members })),
      ),
    })).node;
    const junk = fc.constantFrom('', '}', '{', '"', ',', ':', '\\', '[', ']', '-', '1', 'e', '\u0000', '1e999', '\uFEFF', ' ');
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 5 }), fc.nat(), junk, (members, at, insert) => {
        const text = writeObject(members);
        expectSameAsLossless(text);
        const index = at % (text.length + 1);
        expectSameAsLossless(text.slice(0, index) + insert + text.slice(index));
        expectSameAsLossless(text.slice(0, index));
      }),
      { numRuns: 1_000 },
    );
  });
});

// Written by hand so keys can repeat and integers can be any size, as a hostile sender could.
type Written =
  | string
  | number
  | boolean
  | null
  | { readonly raw: string }
  | { readonly items: readonly Written[] }
  | { readonly members: readonly (readonly [string, Written])[] };

function write(value: Written): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if ('raw' in value) return value.raw;
  if ('items' in value) return `[${value.items.map(write).join(',')}]`;
  return writeObject(value.members);
}

function writeObject(members: readonly (readonly [string, Written])[]): string {
  return `{${members.map(([k, v]) => `${JSON.stringify(k)}:${write(v)}`).join(',')}}`;
}
