import type { MessageEncryption } from '@wxcs/wechat';
import { sampleCredentials, simulateCallback, simulateUrlVerification } from '@wxcs/wechat/testing';
import { describe, expect, it } from 'vitest';
import { BadRequestError, UnauthorizedError } from '../errors.js';
import { verifyCallback, verifyUrl } from './verify-callback.js';

const app = sampleCredentials();
const now = 1_714_112_445;
const refused = (status: number, reason: string): unknown => expect.objectContaining({ status, reason });

function input(sim: { body: string; query: Record<string, string> }, toleranceSeconds = 0, nowSeconds = now, encryption: MessageEncryption = 'plaintext') {
  return { token: app.token, encryption, body: sim.body, query: sim.query, timestampToleranceSeconds: toleranceSeconds, nowSeconds };
}

describe('verifyCallback', () => {
  it('reports the format, the mode and the signed ciphertext', () => {
    const safe = simulateCallback({ app, message: 'text', format: 'xml', mode: 'safe' });
    const encrypt = /<Encrypt><!\[CDATA\[([^\]]+)\]\]>/.exec(safe.body)?.[1];
    expect(encrypt).toBeDefined();
    expect(verifyCallback(input(safe))).toEqual({ format: 'xml', mode: 'safe', encrypt });
    const plain = simulateCallback({ app, message: 'event', format: 'json', mode: 'plaintext' });
    expect(verifyCallback(input(plain))).toEqual({ format: 'json', mode: 'plaintext' });
  });

  it('refuses unencrypted callbacks for an app not running in plaintext mode, even with a valid signature', () => {
    const plain = simulateCallback({ app, message: 'text', format: 'json', mode: 'plaintext' });
    expect(() => verifyCallback(input(plain, 0, now, 'safe'))).toThrow(refused(401, 'encrypted callback required'));
    const safe = simulateCallback({ app, message: 'text', format: 'json', mode: 'safe' });
    expect(verifyCallback(input(safe, 0, now, 'safe')).mode).toBe('safe');
  });

  it('answers 400 for anything beside ToUserName and Encrypt when the app runs in safe mode', () => {
    const compatible = simulateCallback({ app, message: 'text', format: 'xml', mode: 'compatible' });
    expect(() => verifyCallback(input(compatible, 0, now, 'safe'))).toThrow(refused(400, 'malformed body (unexpected_field)'));
    expect(verifyCallback(input(compatible, 0, now, 'compatible')).mode).toBe('compatible');
  });

  it('answers 401 for a forged signature beside a valid msg_signature', () => {
    const safe = simulateCallback({ app, message: 'text', format: 'json', mode: 'safe' });
    const forged = { ...safe, query: { ...safe.query, signature: 'f'.repeat(40) } };
    expect(() => verifyCallback(input(forged, 0, now, 'safe'))).toThrow(refused(401, 'bad signature'));
  });

  it('names the missing parameter in a 401', () => {
    const safe = simulateCallback({ app, message: 'text', format: 'json', mode: 'safe' });
    const { nonce: _dropped, ...query } = safe.query;
    expect(() => verifyCallback(input({ ...safe, query }, 0, now, 'safe'))).toThrow(refused(401, 'missing nonce'));
  });

  it('checks the signature before looking at a plaintext body', () => {
    const sim = simulateCallback({ app, message: 'text', format: 'json', mode: 'plaintext' });
    expect(() => verifyCallback(input({ ...sim, body: 'garbage', query: { ...sim.query, signature: 'x' } }))).toThrow(UnauthorizedError);
    expect(() => verifyCallback(input({ ...sim, body: 'garbage' }))).toThrow(BadRequestError);
  });

  it('ignores the timestamp by default and enforces the tolerance when set', () => {
    const sim = simulateCallback({ app, message: 'text', format: 'json', mode: 'safe', timestamp: String(now - 600) });
    expect(() => verifyCallback(input(sim))).not.toThrow();
    expect(() => verifyCallback(input(sim, 900))).not.toThrow();
    expect(() => verifyCallback(input(sim, 300))).toThrow('timestamp outside tolerance');
    const future = simulateCallback({ app, message: 'text', format: 'json', mode: 'safe', timestamp: String(now + 301) });
    expect(() => verifyCallback(input(future, 300))).toThrow('timestamp outside tolerance');
    const garbled = simulateCallback({ app, message: 'text', format: 'json', mode: 'plaintext', timestamp: 'soon' });
    expect(() => verifyCallback(input(garbled, 300))).toThrow('timestamp outside tolerance');
  });

  it('treats encrypt_type=raw as plaintext and rejects other values', () => {
    const sim = simulateCallback({ app, message: 'text', format: 'json', mode: 'plaintext' });
    expect(verifyCallback(input({ ...sim, query: { ...sim.query, encrypt_type: 'raw' } })).mode).toBe('plaintext');
    expect(() => verifyCallback(input({ ...sim, query: { ...sim.query, encrypt_type: 'AES' } }))).toThrow(BadRequestError);
  });
});

describe('verifyUrl', () => {
  it('returns the echostr for the official worked example', () => {
    const { query } = simulateUrlVerification({ token: 'AAAAA', timestamp: '1714036504', nonce: '1514711492' });
    expect(query.signature).toBe('f464b24fc39322e44b38aa78f5edd27bd1441696');
    expect(verifyUrl('AAAAA', query)).toBe('4375120948345356249');
    expect(() => verifyUrl('BBBBB', query)).toThrow(UnauthorizedError);
  });
});
