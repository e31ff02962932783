import type { DataFormat } from './format.js';
import { encryptMessage } from './message-crypto.js';
import type { AppCredentials } from './open-callback.js';
import { computeSignature } from './signature.js';
import { cdata, xmlDocument } from './xml-writer.js';

// TimeStamp is sent as a JSON number; 15 digits keep it exact as a JS number.
const DECIMAL_TIMESTAMP = /^(?:0|[1-9][0-9]{0,14})$/;

/**
 * Encrypted envelope for a passive reply in encrypted modes. Plain `success`
 * or an empty body need no envelope. `nonce` should echo the query nonce,
 * `timestamp` is the current time in seconds.
 */
export function sealReply(p: {
  app: AppCredentials;
  format: DataFormat;
  reply: string;
  nonce: string;
  timestamp: string;
  random?: Buffer;
}): string {
  if (!DECIMAL_TIMESTAMP.test(p.timestamp)) {
    throw new RangeError('timestamp must be decimal seconds');
  }
  const encrypt = encryptMessage({
    aesKey: p.app.aesKey,
    appId: p.app.appId,
    message: p.reply,
    random: p.random,
  });
  const msgSignature = computeSignature([p.app.token, p.timestamp, p.nonce, encrypt]);
  if (p.format === 'json') {
    // The official example: capitalised keys, TimeStamp a number, Nonce a string.
    return JSON.stringify({
      Encrypt: encrypt,
      MsgSignature: msgSignature,
      TimeStamp: Number(p.timestamp),
      Nonce: p.nonce,
    });
  }
  return xmlDocument([
    ['Encrypt', cdata(encrypt)],
    ['MsgSignature', cdata(msgSignature)],
    ['TimeStamp', p.timestamp],
    ['Nonce', cdata(p.nonce)],
  ]);
}
