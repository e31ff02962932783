// Properties of the AES framing and of signatures, checked against an
// independent oracle rather than against the implementation itself.
import { createCipheriv, createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppIdMismatchError, DecryptError, InvalidAesKeyError } from './errors.js';
import { decryptMessage, encryptMessage } from './message-crypto.js';
import { computeSignature } from './signature.js';

const KEY = Buffer.from('q7Kd2LmP9vXz4RtY8bNw3HcE6sJf1GhU5aZk0oViTpW=', 'base64');
const APP_ID = 'wx8d3c1f0a9b2e4d67';

function rawEncrypt(plaintext: Buffer): string {
  const cipher = createCipheriv('aes-256-cbc', KEY, KEY.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]).toString('base64');
}

function isValidUtf8(bytes: Buffer): boolean {
  return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
}

/** What the format says a plaintext means: the message, or which check fails first. */
function oracle(plaintext: Buffer): { message: string } | { fails: string } {
  const pad = plaintext[plaintext.length - 1] ?? 0;
  const padBytes = plaintext.subarray(plaintext.length - pad);
  if (pad < 1 || pad > 32 || !padBytes.every((byte) => byte === pad)) return { fails: 'bad_padding' };
  const body = plaintext.subarray(0, plaintext.length - pad);
  if (body.length < 20 || body.readUInt32BE(16) > body.length - 20) return { fails: 'bad_length' };
  const end = 20 + body.readUInt32BE(16);
  if (!body.subarray(end).equals(Buffer.from(APP_ID))) return { fails: 'appid_mismatch' };
  const message = body.subarray(20, end);
  return isValidUtf8(message) ? { message: message.toString('utf8') } : { fails: 'bad_utf8' };
}

describe('encryptMessage / decryptMessage', () => {
  it('round-trips arbitrary unicode messages and appids', () => {
    const message = fc.string({ unit: 'binary', maxLength: 300 });
    const appId = fc.string({ unit: 'binary', maxLength: 40 });
    fc.assert(
      fc.property(message, appId, (text, id) => {
        const encrypt = encryptMessage({ aesKey: KEY, appId: id, message: text });
        expect(Buffer.from(encrypt, 'base64').length % 32).toBe(0);
        expect(decryptMessage({ aesKey: KEY, appId: id, encrypt })).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with the oracle on arbitrary length prefixes, pads and appid tails', () => {
    const framed = fc.record({
      message: fc.uint8Array({ maxLength: 60 }),
      declared: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constant(0xffffffff)),
      tail: fc.oneof(fc.constant(APP_ID), fc.string({ maxLength: 20 })),
      pad: fc.integer({ min: 0, max: 40 }),
      padByte: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(framed, ({ message, declared, tail, pad, padByte }) => {
        const length = Buffer.alloc(4);
        length.writeUInt32BE(declared);
        const tailBytes = Buffer.from(tail, 'utf8');
        const body = Buffer.concat([Buffer.alloc(16, 1), length, Buffer.from(message), tailBytes]);
        // Filler aligns body + pad to 32 bytes; the pad bytes are whatever the case asks for.
        const fill = (32 - ((body.length + pad) % 32)) % 32;
        const padding = Buffer.alloc(pad, padByte ?? pad);
        const plaintext = Buffer.concat([body, Buffer.alloc(fill, 0x41), padding]);
        const expected = oracle(plaintext);
        const attempt = () =>
          decryptMessage({ aesKey: KEY, appId: APP_ID, encrypt: rawEncrypt(plaintext) });
        if ('message' in expected) expect(attempt()).toBe(expected.message);
        else expect(attempt).toThrow(expect.objectContaining({ code: expected.fails }));
      }),
      { numRuns: 400 },
    );
  });

  it('never decrypts random ciphertext, under any key, and fails with typed errors', () => {
    const typed = [DecryptError, AppIdMismatchError, InvalidAesKeyError];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 130 }), fc.uint8Array({ maxLength: 40 }), (bytes, key) => {
        const aesKey = Buffer.from(key);
        const encrypt = Buffer.from(bytes).toString('base64');
        try {
          decryptMessage({ aesKey, appId: APP_ID, encrypt });
          expect.unreachable('random ciphertext must not decrypt');
        } catch (error) {
          expect(typed.some((type) => error instanceof type)).toBe(true);
          if (aesKey.length !== 32) expect(error).toBeInstanceOf(InvalidAesKeyError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('computeSignature', () => {
  it('equals sha1 over the parts sorted by their UTF-8 bytes, for any text', () => {
    const part = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.string({ unit: fc.constantFrom('a', 'z', '\uD83D', '\uDE00', '\uE000', '\uFFFF', '\u{1F600}', '\u00E9'), maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 5 }), (parts) => {
        const reference = createHash('sha1');
        for (const bytes of parts.map((text) => Buffer.from(text, 'utf8')).sort((a, b) => Buffer.compare(a, b))) reference.update(bytes);
        expect(computeSignature(parts)).toBe(reference.digest('hex'));
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on the order of its parts', () => {
    const partsAndPermutation = fc
      .array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 6 })
      .chain((parts) =>
        fc.tuple(
          fc.constant(parts),
          fc.shuffledSubarray(parts, { minLength: parts.length, maxLength: parts.length }),
        ),
      );
    fc.assert(
      fc.property(partsAndPermutation, ([parts, shuffled]) => {
        expect(computeSignature(shuffled)).toBe(computeSignature(parts));
      }),
      { numRuns: 300 },
    );
  });

  it('changes when any part changes', () => {
    const parts = fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 4 });
    const extra = fc.string({ minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(parts, fc.nat(), extra, (original, index, suffix) => {
        const changed = [...original];
        const i = index % original.length;
        changed[i] = `${changed[i] ?? ''}${suffix}`;
        expect(computeSignature(changed)).not.toBe(computeSignature(original));
      }),
      { numRuns: 300 },
    );
  });
});
