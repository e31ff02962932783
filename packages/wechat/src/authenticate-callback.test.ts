import { describe, expect, it } from 'vitest';
import { authenticateCallback, type MessageEncryption } from './authenticate-callback.js';
import { computeSignature } from './signature.js';
import { sampleCredentials } from './testing/sample-messages.js';
import { simulateCallback } from './testing/simulate-callback.js';

const app = sampleCredentials();
const FORMATS = ['json', 'xml'] as const;
const signatureError = (code: string): unknown => expect.objectContaining({ name: 'SignatureError', code });
const payloadError = (code: string): unknown => expect.objectContaining({ name: 'PayloadError', code });

function authenticate(callback: { body: string; query: Record<string, unknown> }, encryption?: MessageEncryption) {
  return authenticateCallback({ body: callback.body, query: callback.query, token: app.token, encryption });
}

describe('authenticateCallback', () => {
  it('reports format and mode, and the Encrypt it verified, without any key', () => {
    for (const format of FORMATS) {
      for (const mode of ['plaintext', 'compatible', 'safe'] as const) {
        const callback = simulateCallback({ app, message: 'text', format, mode });
        const authenticated = authenticate(callback);
        expect(authenticated).toMatchObject({ format, mode });
        const { timestamp = '', nonce = '', msg_signature: msgSignature } = callback.query;
        const signed = authenticated.encrypt === undefined ? undefined : computeSignature([app.token, timestamp, nonce, authenticated.encrypt]);
        expect(signed).toBe(msgSignature);
      }
    }
  });

  it('refuses a forged signature even when msg_signature is valid', () => {
    for (const format of FORMATS) {
      for (const mode of ['compatible', 'safe'] as const) {
        const callback = simulateCallback({ app, message: 'text', format, mode });
        const forged = { ...callback.query, signature: '0'.repeat(40) };
        expect(() => authenticate({ body: callback.body, query: forged })).toThrow(signatureError('bad_signature'));
      }
    }
  });

  it('refuses an encrypted callback without its signature parameter', () => {
    const callback = simulateCallback({ app, message: 'text', format: 'json', mode: 'safe' });
    const { signature: _dropped, ...query } = callback.query;
    expect(() => authenticate({ body: callback.body, query })).toThrow(signatureError('missing_signature'));
  });

  it('checks the query before reading a body', () => {
    const callback = simulateCallback({ app, message: 'text', format: 'json', mode: 'safe' });
    const garbage = { body: '<<<<', query: { ...callback.query, signature: 'x' } };
    expect(() => authenticate(garbage)).toThrow(signatureError('bad_signature'));
    const plain = simulateCallback({ app, message: 'text', format: 'json', mode: 'plaintext' });
    expect(() => authenticate({ body: '<<<<', query: { ...plain.query, signature: 'x' } })).toThrow(signatureError('bad_signature'));
    expect(() => authenticate({ body: '<<<<', query: plain.query })).toThrow(payloadError('malformed_xml'));
  });

  it('refuses anything beside ToUserName and Encrypt when the app runs in safe mode', () => {
    for (const format of FORMATS) {
      const compatible = simulateCallback({ app, message: 'text', format, mode: 'compatible' });
      expect(() => authenticate(compatible, 'safe')).toThrow(payloadError('unexpected_field'));
      expect(authenticate(compatible, 'compatible').mode).toBe('compatible');
      expect(authenticate(compatible, 'plaintext').mode).toBe('compatible');
      const safe = simulateCallback({ app, message: 'text', format, mode: 'safe' });
      expect(authenticate(safe, 'safe').mode).toBe('safe');
      expect(authenticate(safe, 'compatible').mode).toBe('safe');
    }
  });

  it('refuses the padded replay: a genuine query and Encrypt beside 200 KB of padding', () => {
    const genuine = simulateCallback({ app, message: 'text', format: 'xml', mode: 'safe' });
    const encrypt = (/<Encrypt><!\[CDATA\[([^\]]+)\]\]>/.exec(genuine.body) ?? [])[1];
    const replay = { body: JSON.stringify({ Encrypt: encrypt, Pad: 'x'.repeat(200_000) }), query: genuine.query };
    expect(authenticate(genuine, 'safe').mode).toBe('safe');
    expect(() => authenticate(replay, 'safe')).toThrow(payloadError('unexpected_field'));
  });

  it('refuses unencrypted callbacks unless the app runs in plaintext mode, whatever their signature', () => {
    const plain = simulateCallback({ app, message: 'text', format: 'json', mode: 'plaintext' });
    for (const encryption of ['safe', 'compatible'] as const) {
      expect(() => authenticate(plain, encryption)).toThrow(signatureError('encryption_required'));
    }
    expect(authenticate(plain, 'plaintext').mode).toBe('plaintext');
  });

  it('refuses a signed Encrypt that is not base64 of whole 32-byte blocks', () => {
    for (const encrypt of ['not base64!', 'QUJD', 'A'.repeat(43) + '.', `${'A'.repeat(40)}====`, `${'A'.repeat(42)}==`]) {
      const body = JSON.stringify({ ToUserName: 'gh_1', Encrypt: encrypt });
      const query = { signature: computeSignature([app.token, '1', '2']), timestamp: '1', nonce: '2', encrypt_type: 'aes', msg_signature: computeSignature([app.token, '1', '2', encrypt]) };
      expect(() => authenticate({ body, query }), encrypt).toThrow(payloadError('bad_encrypt'));
    }
  });

  it('refuses encrypt_type values other than aes and treats raw as plaintext', () => {
    const plain = simulateCallback({ app, message: 'text', format: 'json', mode: 'plaintext' });
    expect(() => authenticate({ ...plain, query: { ...plain.query, encrypt_type: 'AES' } })).toThrow(payloadError('unsupported_encrypt_type'));
    expect(authenticate({ ...plain, query: { ...plain.query, encrypt_type: 'raw' } }).mode).toBe('plaintext');
  });
});
