import { DecryptError } from './errors.js';

// WXBizMsgCrypt pads to 32-byte blocks, not the AES block size of 16, so the
// pad length is 1..32 and OpenSSL's own unpadding (which assumes 16) must stay off.
export const PAD_BLOCK_BYTES = 32;

export function pkcs7Pad(data: Buffer): Buffer {
  const padLength = PAD_BLOCK_BYTES - (data.length % PAD_BLOCK_BYTES);
  return Buffer.concat([data, Buffer.alloc(padLength, padLength)]);
}

export function pkcs7Unpad(data: Buffer): Buffer {
  const padLength = data[data.length - 1];
  if (padLength === undefined || padLength < 1 || padLength > PAD_BLOCK_BYTES) {
    throw new DecryptError('bad_padding', 'PKCS#7 pad length is outside 1..32');
  }
  if (padLength > data.length) {
    throw new DecryptError('bad_padding', 'PKCS#7 pad is longer than the data');
  }
  for (let i = data.length - padLength; i < data.length; i += 1) {
    if (data[i] !== padLength) {
      throw new DecryptError('bad_padding', 'PKCS#7 pad bytes are inconsistent');
    }
  }
  return data.subarray(0, data.length - padLength);
}
