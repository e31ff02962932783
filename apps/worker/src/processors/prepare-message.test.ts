import { STORAGE_NOTE_KEY } from '@wxcs/db';
import { PayloadError, SignatureError, createAppDirectory } from '@wxcs/wechat';
import { sampleMessage } from '@wxcs/wechat/testing';
import { describe, expect, it } from 'vitest';
import { TEST_APP, inboundCallback } from '../testing/callbacks.js';
import { PermanentJobError } from './failures.js';
import { prepareMessage, readCallback } from './prepare-message.js';

const SAFE_APP = { ...TEST_APP, name: 'safe-only', messageEncryption: 'safe' as const };
const apps = createAppDirectory([TEST_APP, SAFE_APP]);

describe('prepareMessage (row mapping)', () => {
  it('maps a safe-mode JSON text message to its customer_message row', () => {
    const callback = inboundCallback({ message: { ...sampleMessage('text'), MsgId: '6074746557628292943' } });
    const { row, mode } = prepareMessage(callback, apps);
    expect(mode).toBe('safe');
    expect(row).toEqual({
      appId: TEST_APP.appId,
      signature: callback.query.signature,
      timestamp: callback.query.timestamp,
      nonce: callback.query.nonce,
      openid: 'oG7Xw5KpT2rLm9QzA1bC3dE4fH6j',
      encryptType: 'aes',
      msgSignature: callback.query.msg_signature,
      toUsername: 'gh_8f2d3c4b5a6e',
      fromUsername: 'oG7Xw5KpT2rLm9QzA1bC3dE4fH6j',
      msgType: 'text',
      msgInfo: { text: 'hello' },
      msgId: '6074746557628292943',
      encrypt: (JSON.parse(callback.body) as { Encrypt: string }).Encrypt,
      dedupKey: 'msg:6074746557628292943',
      msgCreateTime: new Date(1_714_112_445_000),
      payloadJson: JSON.stringify({ ...sampleMessage('text'), MsgId: '6074746557628292943' }),
      dataFormat: 'json',
      receivedAt: new Date(callback.receivedAt),
    });
  });

  it('keeps a big MsgId exact in payloadJson (as a string, never a JS number)', () => {
    const { row } = prepareMessage(inboundCallback({ message: { ...sampleMessage('image'), MsgId: '18446744073709551615' }, format: 'xml' }), apps);
    expect(row.payloadJson).toContain('"MsgId":"18446744073709551615"');
    expect(row.dataFormat).toBe('xml');
    expect(row.msgInfo).toEqual({ pic: 'http://mmbiz.qpic.cn/mmbiz_jpg/5Hq1Xb2aVwQ/0', media_id: 'Tq3oP8Vd0nJ5kL2mX7rY9cB4wE1sA6fG_hZuI3jK' });
  });

  it('maps a plaintext event: no encryption columns, an event dedup key, the sender as openid though the query has none', () => {
    const callback = inboundCallback({ message: 'event', mode: 'plaintext', format: 'xml' });
    expect(callback.query.openid).toBeUndefined();
    const { row, mode } = prepareMessage(callback, apps);
    expect(mode).toBe('plaintext');
    expect(row).toMatchObject({ encryptType: null, msgSignature: null, encrypt: null, openid: 'oG7Xw5KpT2rLm9QzA1bC3dE4fH6j', msgId: null, msgType: 'event' });
    expect(row.msgInfo).toEqual({ event: 'user_enter_tempsession', session_from: "open-type='contact'" });
    expect(row.dedupKey).toMatch(/^evt:/);
  });

  it('stores the decrypted FromUserName as openid, never the unsigned query value', () => {
    const callback = inboundCallback({ message: { ...sampleMessage('text'), FromUserName: 'o-real-sender' } });
    const { row } = prepareMessage({ ...callback, query: { ...callback.query, openid: 'o-forged-in-the-url' } }, apps);
    expect(row).toMatchObject({ openid: 'o-real-sender', fromUsername: 'o-real-sender' });
  });

  it('makes a message PostgreSQL could not hold storable, and notes it in msg_info', () => {
    const { row } = prepareMessage(inboundCallback({ message: { ...sampleMessage('text'), Content: 'a\u0000b\ud800' } }), apps);
    expect(row.msgInfo).toMatchObject({ text: 'a\ufffdb\ufffd', [STORAGE_NOTE_KEY]: expect.stringContaining('msg_info.text') as string });
    expect(JSON.parse(row.payloadJson)).toMatchObject({ Content: 'a\ufffdb\ufffd' });
  });

  it('refuses unencrypted callbacks for an app not configured for plaintext mode', () => {
    expect(() => prepareMessage(inboundCallback({ message: 'text', mode: 'plaintext', app: 'safe-only' }), apps)).toThrow(
      expect.objectContaining({ code: 'encryption_required' }),
    );
    expect(prepareMessage(inboundCallback({ message: 'text', mode: 'safe', app: 'safe-only' }), apps).mode).toBe('safe');
  });

  it('holds a safe-mode app to an envelope of ToUserName and Encrypt, as the receiver does', () => {
    expect(() => prepareMessage(inboundCallback({ message: 'text', mode: 'compatible', app: 'safe-only' }), apps)).toThrow(
      expect.objectContaining({ code: 'unexpected_field' }),
    );
    expect(prepareMessage(inboundCallback({ message: 'text', mode: 'compatible' }), apps).mode).toBe('compatible');
  });

  it('throws the permanent errors the processor dead-letters', () => {
    expect(() => prepareMessage(inboundCallback({ message: 'text', app: 'nope' }), apps)).toThrow(PermanentJobError);
    const callback = inboundCallback({ message: 'text' });
    expect(() => prepareMessage({ ...callback, query: { ...callback.query, msg_signature: 'f'.repeat(40) } }, apps)).toThrow(SignatureError);
    expect(() => prepareMessage({ ...callback, body: '{"ToUserName":"x","Encrypt":"AAAA"}' }, apps)).toThrow(SignatureError);
    expect(() => prepareMessage({ ...inboundCallback({ message: 'text', mode: 'plaintext' }), body: '<xml><oops>' }, apps)).toThrow(PayloadError);
  });
});

describe('readCallback', () => {
  it('accepts a receiver callback and rejects anything else permanently', () => {
    const callback = inboundCallback({ message: 'text' });
    expect(readCallback(callback)).toEqual(callback);
    expect(() => readCallback({ ...callback, v: 2 })).toThrow(/bad: v/);
    expect(() => readCallback(null)).toThrow(PermanentJobError);
  });
});
