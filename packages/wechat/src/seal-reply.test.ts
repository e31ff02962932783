import { describe, expect, it } from 'vitest';
import { parseDocument } from './document.js';
import { decryptMessage } from './message-crypto.js';
import { sealReply } from './seal-reply.js';
import { verifyMsgSignature } from './signature.js';
import { sampleCredentials } from './testing/sample-messages.js';

const app = sampleCredentials();

describe('sealReply', () => {
  for (const format of ['json', 'xml'] as const) {
    it(`${format}: envelope verifies with msg_signature and decrypts to the reply`, () => {
      const reply = format === 'json' ? '{"ToUserName":"o1","MsgType":"transfer_customer_service"}' : '<xml><A>中文😀</A></xml>';
      const sealed = sealReply({ app, format, reply, nonce: '415670741', timestamp: '1713424427' });
      const { fields } = parseDocument(sealed, format);
      expect(Object.keys(fields)).toEqual(['Encrypt', 'MsgSignature', 'TimeStamp', 'Nonce']);
      const text = (key: string) => {
        const value = fields[key];
        if (typeof value !== 'string') throw new Error(`${key} is not text`);
        return value;
      };
      const [Encrypt, MsgSignature, TimeStamp, Nonce] = ['Encrypt', 'MsgSignature', 'TimeStamp', 'Nonce'].map(text) as [string, string, string, string];
      expect(TimeStamp).toBe('1713424427');
      expect(Nonce).toBe('415670741');
      expect(verifyMsgSignature({ token: app.token, timestamp: TimeStamp, nonce: Nonce, encrypt: Encrypt, msgSignature: MsgSignature })).toBe(true);
      expect(decryptMessage({ aesKey: app.aesKey, appId: app.appId, encrypt: Encrypt })).toBe(reply);
    });
  }

  it('writes TimeStamp as a JSON number and Nonce as a JSON string', () => {
    const sealed = sealReply({ app, format: 'json', reply: 'x', nonce: '415670741', timestamp: '1713424427' });
    const parsed = JSON.parse(sealed) as Record<string, unknown>;
    expect(parsed.TimeStamp).toBe(1713424427);
    expect(parsed.Nonce).toBe('415670741');
  });

  it.each(['', 'abc', '-1', '1.5', '0123', '1'.repeat(16)])('rejects timestamp %j', (timestamp) => {
    expect(() => sealReply({ app, format: 'json', reply: 'x', nonce: '1', timestamp })).toThrow(RangeError);
  });
});
