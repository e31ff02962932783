import { createCipheriv, createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppIdMismatchError, InvalidAesKeyError } from './errors.js';
import type { DecryptError } from './errors.js';
import { decryptMessage, encryptMessage } from './message-crypto.js';

const KEY = Buffer.from('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG=', 'base64');
const APP_ID = 'wxb11529c136998cb6';
const RANDOM = Buffer.from('aaaabbbbccccdddd', 'latin1');

// Builds ciphertext from an exact plaintext (layout, pad and all), bypassing encryptMessage.
function rawEncrypt(plaintext: Buffer, key = KEY): string {
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]).toString('base64');
}

function rawDecrypt(encrypt: string, key = KEY): Buffer {
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  return Buffer.concat([decipher.update(Buffer.from(encrypt, 'base64')), decipher.final()]);
}

function frame(message: Buffer, appId: string, declaredLength = message.length): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(declaredLength);
  return Buffer.concat([RANDOM, length, message, Buffer.from(appId, 'utf8')]);
}

function withPad(data: Buffer, padBytes: number[]): Buffer {
  return Buffer.concat([data, Buffer.from(padBytes)]);
}

function expectDecryptError(encrypt: string, code: DecryptError['code'], appId = APP_ID): void {
  expect(() => decryptMessage({ aesKey: KEY, appId, encrypt })).toThrow(
    expect.objectContaining({ name: 'DecryptError', code }),
  );
}

describe('encryptMessage / decryptMessage', () => {
  it('matches the WxJava vector byte for byte; msg_len counts UTF-8 bytes', () => {
    const encrypt = encryptMessage({ aesKey: KEY, appId: APP_ID, message: '我是中文abcd123', random: RANDOM });
    expect(encrypt).toBe(
      'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==',
    );
    // 11 UTF-16 units, 19 bytes.
    expect(rawDecrypt(encrypt).readUInt32BE(16)).toBe(19);
    expect(decryptMessage({ aesKey: KEY, appId: APP_ID, encrypt })).toBe('我是中文abcd123');
  });

  it('round-trips Chinese text and emoji', () => {
    const message = '你好，客服 👋🏽 — 👨‍👩‍👧‍👦 ok';
    const encrypt = encryptMessage({ aesKey: KEY, appId: APP_ID, message });
    expect(decryptMessage({ aesKey: KEY, appId: APP_ID, encrypt })).toBe(message);
  });

  it('uses fresh randomness when none is given', () => {
    const a = encryptMessage({ aesKey: KEY, appId: APP_ID, message: 'same' });
    const b = encryptMessage({ aesKey: KEY, appId: APP_ID, message: 'same' });
    expect(a).not.toBe(b);
  });

  it('pads a 32-aligned plaintext with a full block of 32 bytes of 0x20', () => {
    // 16 + 4 + 10 + 2 = 32 bytes before padding.
    const encrypt = encryptMessage({ aesKey: KEY, appId: 'wx', message: '0123456789', random: RANDOM });
    const plaintext = rawDecrypt(encrypt);
    expect(plaintext).toHaveLength(64);
    expect(plaintext.subarray(32)).toEqual(Buffer.alloc(32, 0x20));
    expect(decryptMessage({ aesKey: KEY, appId: 'wx', encrypt })).toBe('0123456789');
  });

  it('handles pads above 16 bytes, which OpenSSL auto-padding rejects', () => {
    // 16 + 4 + 11 + 2 = 33 bytes -> pad 31.
    const message = 'x'.repeat(11);
    const encrypt = encryptMessage({ aesKey: KEY, appId: 'wx', message, random: RANDOM });
    const plaintext = rawDecrypt(encrypt);
    expect(plaintext[plaintext.length - 1]).toBe(31);
    expect(decryptMessage({ aesKey: KEY, appId: 'wx', encrypt })).toBe(message);
  });

  it('rejects a random prefix that is not 16 bytes', () => {
    expect(() =>
      encryptMessage({ aesKey: KEY, appId: APP_ID, message: 'x', random: Buffer.alloc(15) }),
    ).toThrow(RangeError);
  });

  it('rejects keys that are not 32 bytes, both ways', () => {
    const aesKey = Buffer.alloc(16);
    expect(() => encryptMessage({ aesKey, appId: APP_ID, message: 'x' })).toThrow(InvalidAesKeyError);
    expect(() => decryptMessage({ aesKey, appId: APP_ID, encrypt: 'AAAA' })).toThrow(InvalidAesKeyError);
  });
});

describe('decryptMessage rejects malformed ciphertext', () => {
  const good = encryptMessage({ aesKey: KEY, appId: APP_ID, message: 'hello', random: RANDOM });

  it.each([
    ['an invalid character', `${good.slice(0, -4)}!!==`],
    ['embedded whitespace', `${good.slice(0, 8)} ${good.slice(9)}`],
    ['a newline', `${good.slice(0, 8)}\n${good.slice(8)}`],
    ['missing padding', good.replace(/=+$/, '')],
    ['the URL-safe alphabet', good.replaceAll('+', '-').replaceAll('/', '_')],
    ['non-zero trailing bits', 'QR=='],
    ['padding in the middle', `QQ==${good}`],
    ['a non-ASCII letter', `${good.slice(0, 8)}é${good.slice(9)}`],
    ['the empty string', ''],
  ])('bad_base64: %s', (_label, encrypt) => {
    // Guard: the mutation must really have changed something.
    expect(encrypt).not.toBe(good);
    expectDecryptError(encrypt, 'bad_base64');
  });

  it('bad_block_size: valid base64 whose length is not a multiple of 32', () => {
    expectDecryptError(Buffer.alloc(16).toString('base64'), 'bad_block_size');
    expectDecryptError(Buffer.alloc(48).toString('base64'), 'bad_block_size');
  });

  it.each([
    ['pad byte 0', [0]],
    ['pad byte 33', [33]],
    ['pad byte 255', [255]],
    ['inconsistent pad bytes', [3, 4, 3]],
  ])('bad_padding: %s', (_label, tail) => {
    const body = frame(Buffer.from('hello'), APP_ID);
    const fill = 32 - ((body.length + tail.length) % 32);
    // Filler keeps the tail intact at the end while aligning to 32 bytes.
    const plaintext = withPad(Buffer.concat([body, Buffer.alloc(fill, 0x41)]), tail);
    expectDecryptError(rawEncrypt(plaintext), 'bad_padding');
  });

  it('bad_padding: a final byte of 32 whose block is not all 0x20', () => {
    expectDecryptError(rawEncrypt(withPad(Buffer.alloc(31, 0x41), [32])), 'bad_padding');
  });

  it('bad_length: a whole block of valid 32-byte padding leaves nothing to read', () => {
    expectDecryptError(rawEncrypt(Buffer.alloc(32, 32)), 'bad_length');
  });

  it('bad_length: a length prefix that overruns the plaintext', () => {
    const body = frame(Buffer.from('hello'), APP_ID, 5 + APP_ID.length + 1);
    const pad = 32 - (body.length % 32);
    expectDecryptError(rawEncrypt(withPad(body, Array<number>(pad).fill(pad))), 'bad_length');
  });

  it('bad_length: a huge length prefix (0xFFFFFFFF) never reads past the buffer', () => {
    const body = frame(Buffer.from('hello'), APP_ID, 0xffffffff);
    const pad = 32 - (body.length % 32);
    expectDecryptError(rawEncrypt(withPad(body, Array<number>(pad).fill(pad))), 'bad_length');
  });

  it('bad_length: a plaintext shorter than the 20-byte header', () => {
    // 32 bytes of which 16 are padding: 16 bytes of content.
    expectDecryptError(rawEncrypt(withPad(Buffer.alloc(16, 0x41), Array<number>(16).fill(16))), 'bad_length');
  });

  it('bad_utf8: a message that is not valid UTF-8', () => {
    const body = frame(Buffer.from([0x68, 0xc3, 0x28]), APP_ID);
    const pad = 32 - (body.length % 32);
    expectDecryptError(rawEncrypt(withPad(body, Array<number>(pad).fill(pad))), 'bad_utf8');
  });

  it('keeps a leading byte-order mark instead of silently dropping it', () => {
    const message = '\uFEFFhi';
    const encrypt = encryptMessage({ aesKey: KEY, appId: APP_ID, message });
    expect(decryptMessage({ aesKey: KEY, appId: APP_ID, encrypt })).toBe(message);
  });
});

describe('decryptMessage checks who the message is for', () => {
  it('rejects a foreign appid tail without echoing the key', () => {
    const encrypt = encryptMessage({ aesKey: KEY, appId: 'wxforeign0000000', message: 'hello' });
    try {
      decryptMessage({ aesKey: KEY, appId: APP_ID, encrypt });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppIdMismatchError);
      expect((error as AppIdMismatchError).code).toBe('appid_mismatch');
      const message = (error as Error).message;
      expect(message).not.toContain(KEY.toString('base64').slice(0, 20));
      expect(message).not.toContain('abcdefghijklmnop');
    }
  });

  it('rejects an appid that is only a prefix or an extension of ours', () => {
    const longer = encryptMessage({ aesKey: KEY, appId: `${APP_ID}x`, message: 'hello' });
    const shorter = encryptMessage({ aesKey: KEY, appId: APP_ID.slice(0, -1), message: 'hello' });
    expect(() => decryptMessage({ aesKey: KEY, appId: APP_ID, encrypt: longer })).toThrow(AppIdMismatchError);
    expect(() => decryptMessage({ aesKey: KEY, appId: APP_ID, encrypt: shorter })).toThrow(AppIdMismatchError);
  });

  it('never returns a value when decrypting with the wrong key', () => {
    const otherKey = Buffer.alloc(32, 7);
    for (let i = 0; i < 50; i += 1) {
      const encrypt = encryptMessage({ aesKey: KEY, appId: APP_ID, message: `message ${i}` });
      const attempt = () => decryptMessage({ aesKey: otherKey, appId: APP_ID, encrypt });
      expect(attempt).toThrow(expect.objectContaining({ name: expect.stringMatching(/^(DecryptError|AppIdMismatchError)$/) }));
    }
  });
});
