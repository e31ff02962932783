import { describe, expect, it } from 'vitest';
import { assertAesKey, parseEncodingAesKey } from './aes-key.js';
import { InvalidAesKeyError } from './errors.js';

describe('parseEncodingAesKey', () => {
  it('decodes the official example key to 32 zero bytes', () => {
    expect(parseEncodingAesKey('A'.repeat(43))).toEqual(Buffer.alloc(32));
  });

  it('decodes a real-looking key (WxJava test key) to 32 bytes', () => {
    const key = parseEncodingAesKey('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG');
    expect(key).toHaveLength(32);
    expect(key.subarray(0, 3)).toEqual(Buffer.from([0x69, 0xb7, 0x1d]));
  });

  it.each([
    ['42 characters', 'A'.repeat(42)],
    ['44 characters', 'A'.repeat(44)],
    ['a character Node would silently skip', `${'A'.repeat(42)}!`],
    ['a base64 "+"', `${'A'.repeat(42)}+`],
    ['a base64 "/"', `${'A'.repeat(42)}/`],
    ['trailing "="', `${'A'.repeat(42)}=`],
    ['surrounding whitespace', ` ${'A'.repeat(43)}`],
    ['a non-ASCII letter', `${'A'.repeat(42)}é`],
    ['the empty string', ''],
  ])('rejects %s', (_label, key) => {
    // Node alone would still produce 32 bytes for some of these, e.g. the "!" key.
    expect(() => parseEncodingAesKey(key)).toThrow(InvalidAesKeyError);
  });

  it('never puts the key in the error message', () => {
    const secret = `${'S3cr3t'.repeat(7)}!`;
    try {
      parseEncodingAesKey(secret);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidAesKeyError);
      expect((error as InvalidAesKeyError).code).toBe('bad_format');
      expect((error as Error).message).not.toContain('S3cr3t');
    }
  });
});

describe('assertAesKey', () => {
  it('accepts exactly 32 bytes and rejects other lengths', () => {
    expect(() => assertAesKey(Buffer.alloc(32))).not.toThrow();
    for (const length of [0, 16, 31, 33, 64]) {
      expect(() => assertAesKey(Buffer.alloc(length))).toThrow(
        expect.objectContaining({ name: 'InvalidAesKeyError', code: 'bad_length' }),
      );
    }
  });
});
