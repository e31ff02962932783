import { describe, expect, it } from 'vitest';
import { fieldsDigest } from './fields-digest.js';
import type { WechatFields } from './fields.js';

describe('fieldsDigest', () => {
  it('ignores the order of keys, at every level', () => {
    const a = fieldsDigest({ A: '1', B: { C: '2', D: ['x', 'y'] } });
    const b = fieldsDigest({ B: { D: ['x', 'y'], C: '2' }, A: '1' });
    expect(a).toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('keeps the order of array items', () => {
    expect(fieldsDigest({ List: ['x', 'y'] })).not.toBe(fieldsDigest({ List: ['y', 'x'] }));
  });

  it('tells apart values that differ in one character, in whitespace or only in a lone surrogate', () => {
    const digests = [' a', 'a', 'a ', 'b', '\ud800', '\udc00', '\ufffd', '\u0000', ''].map((value) => fieldsDigest({ SessionFrom: value }));
    expect(new Set(digests).size).toBe(digests.length);
  });

  it('cannot be made to collide by moving text between keys and values or between levels', () => {
    const pairs: [WechatFields, WechatFields][] = [
      [{ ab: 'c' }, { a: 'bc' }],
      [{ A: '1', B: '2' }, { A: '1B2' }],
      [{ A: { B: '1' } }, { A: ['1'] }],
      [{ A: ['1', '2'] }, { A: ['12'] }],
      [{ A: '' }, { A: {} }],
    ];
    for (const [left, right] of pairs) expect(fieldsDigest(left)).not.toBe(fieldsDigest(right));
  });
});
