import { InvalidAesKeyError } from './errors.js';

// Node's base64 decoder silently skips characters outside the alphabet, so a
// mistyped key would still decode to 32 bytes of the wrong key. The shape is
// checked first; 43 such characters plus '=' always decode to exactly 32 bytes.
const ENCODING_AES_KEY = /^[A-Za-z0-9]{43}$/;

export const AES_KEY_BYTES = 32;

/** EncodingAESKey (console value) -> 32-byte AES key. Error messages never echo the key. */
export function parseEncodingAesKey(encodingAesKey: string): Buffer {
  if (!ENCODING_AES_KEY.test(encodingAesKey)) {
    throw new InvalidAesKeyError(
      'bad_format',
      'EncodingAESKey must be exactly 43 characters from [A-Za-z0-9]',
    );
  }
  return Buffer.from(`${encodingAesKey}=`, 'base64');
}

export function assertAesKey(aesKey: Buffer): void {
  if (!Buffer.isBuffer(aesKey) || aesKey.length !== AES_KEY_BYTES) {
    throw new InvalidAesKeyError('bad_length', `AES key must be ${AES_KEY_BYTES} bytes`);
  }
}
