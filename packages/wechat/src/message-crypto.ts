import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { assertAesKey } from './aes-key.js';
import { AppIdMismatchError, DecryptError } from './errors.js';
import { PAD_BLOCK_BYTES, pkcs7Pad, pkcs7Unpad } from './pkcs7.js';
import { decodeStrictBase64 } from './strict-base64.js';

// Plaintext layout: random(16) || uint32be(byte length of msg) || msg || appid.
const RANDOM_BYTES = 16;
const HEADER_BYTES = RANDOM_BYTES + 4;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decrypts an `Encrypt` value and checks the appid tail. Every failure is a
 * typed error; it never returns bytes that did not pass every check.
 * Call it only after `msg_signature` has been verified: that signature is what
 * makes the padding checks below safe to report distinctly.
 */
export function decryptMessage(p: { aesKey: Buffer; appId: string; encrypt: string }): string {
  assertAesKey(p.aesKey);
  const ciphertext = decodeStrictBase64(p.encrypt);
  if (ciphertext === undefined) {
    throw new DecryptError('bad_base64', 'Encrypt is not canonical padded base64');
  }
  if (ciphertext.length === 0 || ciphertext.length % PAD_BLOCK_BYTES !== 0) {
    throw new DecryptError('bad_block_size', 'ciphertext length is not a multiple of 32 bytes');
  }
  let decrypted: Buffer;
  try {
    decrypted = runCipher('decrypt', p.aesKey, ciphertext);
  } catch (cause) {
    throw new DecryptError('cipher_failure', 'AES-256-CBC decryption failed', { cause });
  }
  return unframe(pkcs7Unpad(decrypted), p.appId);
}

/** Encrypts a reply the way WeChat expects; `random` is for reproducible tests (16 bytes). */
export function encryptMessage(p: {
  aesKey: Buffer;
  appId: string;
  message: string;
  random?: Buffer;
}): string {
  assertAesKey(p.aesKey);
  const random = p.random ?? randomBytes(RANDOM_BYTES);
  if (random.length !== RANDOM_BYTES) {
    throw new RangeError(`random must be exactly ${RANDOM_BYTES} bytes`);
  }
  // Lone UTF-16 surrogates cannot be encoded and become U+FFFD, as with any UTF-8 text.
  const message = Buffer.from(p.message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(message.length);
  const framed = Buffer.concat([random, length, message, Buffer.from(p.appId, 'utf8')]);
  return runCipher('encrypt', p.aesKey, pkcs7Pad(framed)).toString('base64');
}

function unframe(plaintext: Buffer, appId: string): string {
  if (plaintext.length < HEADER_BYTES) {
    throw new DecryptError('bad_length', 'plaintext is shorter than its 20-byte header');
  }
  const messageLength = plaintext.readUInt32BE(RANDOM_BYTES);
  if (messageLength > plaintext.length - HEADER_BYTES) {
    throw new DecryptError('bad_length', 'message length prefix overruns the plaintext');
  }
  const messageEnd = HEADER_BYTES + messageLength;
  if (!plaintext.subarray(messageEnd).equals(Buffer.from(appId, 'utf8'))) {
    // The received tail may be garbage or another tenant's id; neither it nor the key is echoed.
    throw new AppIdMismatchError(`decrypted appid does not match the configured appid ${appId}`);
  }
  try {
    return strictUtf8.decode(plaintext.subarray(HEADER_BYTES, messageEnd));
  } catch (cause) {
    throw new DecryptError('bad_utf8', 'decrypted message is not valid UTF-8', { cause });
  }
}

function runCipher(direction: 'encrypt' | 'decrypt', aesKey: Buffer, input: Buffer): Buffer {
  // No IV travels on the wire: WXBizMsgCrypt uses the first 16 key bytes.
  const iv = aesKey.subarray(0, 16);
  const cipher =
    direction === 'encrypt'
      ? createCipheriv('aes-256-cbc', aesKey, iv)
      : createDecipheriv('aes-256-cbc', aesKey, iv);
  cipher.setAutoPadding(false);
  const head = cipher.update(input);
  // Without auto padding, whole blocks all come out of update(); skip the copy.
  const tail = cipher.final();
  return tail.length === 0 ? head : Buffer.concat([head, tail]);
}
