import { describe, expect, it } from 'vitest';
import { encryptMessage } from './message-crypto.js';
import { normalizeMessage } from './normalize-message.js';
import type { MessageEncryption } from './authenticate-callback.js';
import { authenticateCallback } from './authenticate-callback.js';
import { openAuthenticated, openCallback } from './open-callback.js';
import { computeSignature } from './signature.js';
import { SAMPLE_NAMES, sampleCredentials, sampleMessage } from './testing/sample-messages.js';
import { serializeFields, simulateCallback } from './testing/simulate-callback.js';

const app = sampleCredentials();
const FORMATS = ['json', 'xml'] as const;
const MODES: readonly MessageEncryption[] = ['plaintext', 'compatible', 'safe'];

const EXPECTED = {
  text: { kind: 'text', msgId: '22223624286040849', content: 'hello' },
  event: { kind: 'event', event: 'user_enter_tempsession', sessionFrom: "open-type='contact'" },
  image: {
    kind: 'image',
    msgId: '22223624286040848',
    picUrl: 'http://mmbiz.qpic.cn/mmbiz_jpg/5Hq1Xb2aVwQ/0',
    mediaId: 'Tq3oP8Vd0nJ5kL2mX7rY9cB4wE1sA6fG_hZuI3jK',
  },
  miniprogrampage: { kind: 'miniprogrampage', msgId: '22223624286040850', thumbUrl: '', thumbMediaId: '' },
} as const;

describe('openCallback + normalizeMessage: every sample in every format and mode', () => {
  for (const name of SAMPLE_NAMES) {
    for (const format of FORMATS) {
      for (const mode of MODES) {
        it(`${name} / ${format} / ${mode}`, () => {
          const callback = simulateCallback({ app, message: name, format, mode });
          const opened = openCallback({ body: callback.body, query: callback.query, app });
          expect(opened.format).toBe(format);
          expect(opened.mode).toBe(mode);
          expect(opened.fields).toEqual(sampleMessage(name));
          expect(opened.encrypt !== undefined).toBe(mode !== 'plaintext');
          expect(normalizeMessage(opened.fields)).toMatchObject({
            ...EXPECTED[name],
            toUserName: 'gh_8f2d3c4b5a6e',
            fromUserName: 'oG7Xw5KpT2rLm9QzA1bC3dE4fH6j',
            createTime: '1714112445',
          });
        });
      }
    }
  }
});

function signedQuery(encrypt: string): Record<string, string> {
  return {
    signature: computeSignature([app.token, '1', '2']),
    timestamp: '1',
    nonce: '2',
    encrypt_type: 'aes',
    msg_signature: computeSignature([app.token, '1', '2', encrypt]),
  };
}

describe('openCallback', () => {
  it('round-trips Chinese text and emoji through encryption in both formats', () => {
    const content = '你好！请问退款多久到账？🙏🏻 ]]> <b>&amp;</b>';
    for (const format of FORMATS) {
      const callback = simulateCallback({ app, message: { ...sampleMessage('text'), Content: content }, format, mode: 'safe' });
      expect(openCallback({ ...callback, app }).fields.Content).toBe(content);
    }
  });

  it('sniffs the body: a JSON push labelled text/xml still opens', () => {
    const callback = simulateCallback({ app, message: 'text', format: 'json', mode: 'safe', contentType: 'text/xml' });
    expect(callback.contentType).toBe('text/xml');
    expect(openCallback({ body: callback.body, query: callback.query, app }).format).toBe('json');
  });

  it('trusts only the decrypted content in compatible mode', () => {
    for (const format of FORMATS) {
      const callback = simulateCallback({ app, message: 'text', format, mode: 'compatible' });
      const forged = callback.body.replace('hello', 'forged').replace('22223624286040849', '1');
      expect(forged).not.toBe(callback.body);
      const opened = openCallback({ body: forged, query: callback.query, app });
      expect(opened.mode).toBe('compatible');
      expect(opened.fields.Content).toBe('hello');
      expect(opened.fields.MsgId).toBe('22223624286040849');
    }
  });

  it('refuses a forged plain signature in encrypted modes, even beside a valid msg_signature', () => {
    const callback = simulateCallback({ app, message: 'text', format: 'json', mode: 'safe' });
    const query = { ...callback.query, signature: '0'.repeat(40) };
    expect(() => openCallback({ body: callback.body, query, app })).toThrow(
      expect.objectContaining({ name: 'SignatureError', code: 'bad_signature' }),
    );
  });

  it('applies the app\'s configured mode: safe refuses a compatible-mode envelope', () => {
    const callback = simulateCallback({ app, message: 'text', format: 'xml', mode: 'compatible' });
    expect(() => openCallback({ ...callback, app, encryption: 'safe' })).toThrow(
      expect.objectContaining({ name: 'PayloadError', code: 'unexpected_field' }),
    );
    expect(openCallback({ ...callback, app, encryption: 'compatible' }).fields.Content).toBe('hello');
  });

  it('rejects a plaintext push whose signature does not match', () => {
    const callback = simulateCallback({ app, message: 'text', format: 'xml', mode: 'plaintext' });
    expect(() => openCallback({ body: callback.body, query: { ...callback.query, nonce: '1' }, app })).toThrow(
      expect.objectContaining({ name: 'SignatureError', code: 'bad_signature' }),
    );
    expect(() => openCallback({ body: callback.body, query: callback.query, app: { ...app, token: 'other' } })).toThrow(
      expect.objectContaining({ name: 'SignatureError', code: 'bad_signature' }),
    );
  });

  it('rejects an encrypted push whose msg_signature does not cover its Encrypt', () => {
    const a = simulateCallback({ app, message: 'text', format: 'json', mode: 'safe' });
    const b = simulateCallback({ app, message: 'image', format: 'json', mode: 'safe' });
    // b's body with a's (valid, but for another ciphertext) msg_signature.
    expect(() => openCallback({ body: b.body, query: a.query, app })).toThrow(
      expect.objectContaining({ name: 'SignatureError', code: 'bad_msg_signature' }),
    );
  });

  it.each([
    ['plaintext', 'signature'],
    ['plaintext', 'timestamp'],
    ['plaintext', 'nonce'],
    ['safe', 'msg_signature'],
    ['safe', 'signature'],
    ['safe', 'timestamp'],
    ['safe', 'nonce'],
  ] as const)('in %s mode requires the %s query parameter', (mode, param) => {
    const callback = simulateCallback({ app, message: 'text', format: 'json', mode });
    const query: Record<string, unknown> = { ...callback.query };
    delete query[param];
    expect(() => openCallback({ body: callback.body, query, app })).toThrow(
      expect.objectContaining({ name: 'SignatureError', code: 'missing_signature' }),
    );
    // A repeated parameter (an array once a framework parses it) is no value either.
    query[param] = [callback.query[param], callback.query[param]];
    expect(() => openCallback({ body: callback.body, query, app })).toThrow(
      expect.objectContaining({ name: 'SignatureError', code: 'missing_signature' }),
    );
  });

  it('rejects encrypt_type=aes on a body without Encrypt', () => {
    const plain = simulateCallback({ app, message: 'text', format: 'xml', mode: 'plaintext' });
    const safe = simulateCallback({ app, message: 'text', format: 'xml', mode: 'safe' });
    expect(() => openCallback({ body: plain.body, query: safe.query, app })).toThrow(
      expect.objectContaining({ name: 'PayloadError', code: 'missing_encrypt' }),
    );
    expect(() => openCallback({ body: '{"ToUserName":"gh_1","Encrypt":""}', query: safe.query, app })).toThrow(
      expect.objectContaining({ name: 'PayloadError', code: 'missing_encrypt' }),
    );
  });

  it('rejects an unknown encrypt_type and treats "raw" as plaintext', () => {
    const callback = simulateCallback({ app, message: 'text', format: 'json', mode: 'plaintext' });
    expect(() => openCallback({ body: callback.body, query: { ...callback.query, encrypt_type: 'des' }, app })).toThrow(
      expect.objectContaining({ name: 'PayloadError', code: 'unsupported_encrypt_type' }),
    );
    expect(openCallback({ body: callback.body, query: { ...callback.query, encrypt_type: 'raw' }, app }).mode).toBe('plaintext');
  });

  it('rejects a message encrypted for another appid, even with a valid signature', () => {
    const callback = simulateCallback({ app: { ...app, appId: 'wx0000000000000000' }, message: 'text', format: 'json', mode: 'safe' });
    expect(() => openCallback({ body: callback.body, query: callback.query, app })).toThrow(
      expect.objectContaining({ name: 'AppIdMismatchError', code: 'appid_mismatch' }),
    );
  });

  it('rejects a decrypted message in a different format from the envelope', () => {
    const encrypt = encryptMessage({ aesKey: app.aesKey, appId: app.appId, message: serializeFields(sampleMessage('text'), 'json') });
    const body = `<xml><ToUserName><![CDATA[gh_8f2d3c4b5a6e]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
    expect(() => openCallback({ body, query: signedQuery(encrypt), app })).toThrow(
      expect.objectContaining({ name: 'PayloadError', code: 'format_mismatch' }),
    );
  });

  it('reports a signed Encrypt of whole blocks that does not decrypt as a DecryptError', () => {
    const encrypt = Buffer.alloc(64, 7).toString('base64');
    const body = JSON.stringify({ ToUserName: 'gh_1', Encrypt: encrypt });
    expect(() => openCallback({ body, query: signedQuery(encrypt), app })).toThrow(
      expect.objectContaining({ name: 'DecryptError' }),
    );
  });
});

describe('openAuthenticated', () => {
  it('opens what authenticateCallback accepted exactly as openCallback does, in every mode', () => {
    for (const mode of MODES) {
      const sim = simulateCallback({ app, message: 'text', format: 'xml', mode });
      const callback = authenticateCallback({ body: sim.body, query: sim.query, token: app.token });
      expect(openAuthenticated({ body: sim.body, callback, app })).toEqual(openCallback({ body: sim.body, query: sim.query, app }));
    }
  });

  it('decrypts the ciphertext the signature vouched for, not another copy in the body', () => {
    const sim = simulateCallback({ app, message: 'text', format: 'xml', mode: 'safe' });
    const callback = authenticateCallback({ body: sim.body, query: sim.query, token: app.token });
    const other = simulateCallback({ app, message: 'event', format: 'xml', mode: 'safe' });
    const opened = openAuthenticated({ body: other.body, callback, app });
    expect(normalizeMessage(opened.fields).kind).toBe('text');
  });
});
