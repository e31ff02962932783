import { describe, expect, it } from 'vitest';
import { isStorableText, toStorableJsonText, toStorableText, truncateText } from './storable-text.js';

describe('toStorableText', () => {
  it('replaces NUL and lone surrogates, and keeps pairs, control characters and everything else', () => {
    expect(toStorableText('a\u0000b\ud800c\udc00d\ud83d\ude00\u0001')).toBe('a\ufffdb\ufffdc\ufffdd\ud83d\ude00\u0001');
    expect(isStorableText('a\u0001\ud83d\ude00')).toBe(true);
    expect(isStorableText('a\u0000')).toBe(false);
    expect(isStorableText('\udc00\ud800')).toBe(false);
  });
});

describe('truncateText', () => {
  it('cuts to the bound, one unit shorter when the bound falls inside a surrogate pair', () => {
    expect(truncateText('abcdef', 3)).toBe('abc');
    expect(truncateText('ab\ud83d\ude00', 3)).toBe('ab');
    expect(truncateText('ab\ud83d\ude00', 4)).toBe('ab\ud83d\ude00');
  });
});

describe('toStorableJsonText', () => {
  it('returns undefined for JSON text jsonb accepts as it is', () => {
    for (const json of ['{"a":"b"}', '{"a":"\\u0001\\n\\"\\\\u0000"}', '{"a":"\\ud83d\\ude00 \ud83d\ude00"}', '{"\\u00e9":"\\uD83D\\uDE00"}']) {
      expect(toStorableJsonText(json)).toBeUndefined();
    }
  });

  it('replaces \\u0000 and unpaired surrogate escapes, in keys and values, any hex case', () => {
    expect(toStorableJsonText('{"a\\u0000":"x\\u0000y"}')).toBe('{"a\\ufffd":"x\\ufffdy"}');
    expect(toStorableJsonText('["\\ud800", "\\uDC00x", "\\ud800\\ud800\\udc00", "\\ud800\\n"]')).toBe(
      '["\\ufffd", "\\ufffdx", "\\ufffd\\ud800\\udc00", "\\ufffd\\n"]',
    );
  });

  it('replaces raw NUL and raw lone surrogates', () => {
    expect(toStorableJsonText('["\ud800", "\udc00"]')).toBe('["\ufffd", "\ufffd"]');
  });

  it('reads back as toStorableText of the original, for any string JSON.stringify writes', () => {
    const alphabet = ['\u0000', '\ud800', '\udc00', '\\', 'u', '0', 'd', '"', 'a', '\u0001'];
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
    for (let round = 0; round < 2_000; round += 1) {
      const text = Array.from({ length: next() % 12 }, () => alphabet[next() % alphabet.length]).join('');
      const json = JSON.stringify({ [text]: text });
      const stored = toStorableJsonText(json) ?? json;
      expect(isStorableText(stored)).toBe(true);
      expect(JSON.parse(stored)).toEqual({ [toStorableText(text)]: toStorableText(text) });
    }
  });
});
