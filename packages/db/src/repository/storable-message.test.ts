import { describe, expect, it } from 'vitest';
import type { NewCustomerMessage } from './customer-message.js';
import { STORAGE_NOTE_KEY, toStorableMessage } from './storable-message.js';

const row = (extra: Partial<NewCustomerMessage> = {}): NewCustomerMessage => ({
  appId: 'wx51f0a1b2c3d4e5f6',
  signature: '6c5c811b55cc85e0e1b54100749188c20beb3f5d',
  timestamp: '1714112445',
  nonce: '415670741',
  openid: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY',
  encryptType: 'aes',
  msgSignature: '046e02f8204d34f8ba5fa3b1db94908f3df2e9b3',
  toUsername: 'gh_8f2d3c4b5a6e',
  fromUsername: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY',
  msgType: 'text',
  msgInfo: { text: 'hello' },
  msgId: '22223624286040849',
  encrypt: 'c29tZSBjaXBoZXJ0ZXh0',
  dedupKey: 'msg:22223624286040849',
  msgCreateTime: new Date(1_714_112_445_000),
  payloadJson: '{"Content":"hello","MsgId":"22223624286040849"}',
  dataFormat: 'json',
  receivedAt: new Date(1_714_112_446_000),
  ...extra,
});

describe('toStorableMessage', () => {
  it('returns a storable row unchanged, emoji and control characters included', () => {
    const clean = row({ msgInfo: { text: 'hi \ud83d\ude00\u0001' }, payloadJson: '{"Content":"hi \ud83d\ude00\\u0001"}' });
    expect(toStorableMessage(clean)).toBe(clean);
  });

  it('replaces NUL and lone surrogates in the payload, msg_info and columns, and says where', () => {
    const stored = toStorableMessage(
      row({
        msgInfo: { text: 'a\u0000b', 'bad\ud800key': 'x' },
        payloadJson: JSON.stringify({ Content: 'a\u0000b', Other: '\ud800' }),
        fromUsername: 'o\u0000',
      }),
    );
    expect(JSON.parse(stored.payloadJson)).toEqual({ Content: 'a\ufffdb', Other: '\ufffd' });
    expect(stored.fromUsername).toBe('o\ufffd');
    expect(stored.msgInfo).toMatchObject({ text: 'a\ufffdb', 'bad\ufffdkey': 'x' });
    const note = stored.msgInfo[STORAGE_NOTE_KEY];
    for (const place of ['payload', 'msg_info.text', 'from_username', 'msg_info key']) expect(note).toContain(place);
  });

  it('cuts over-long identifiers and msg_info values to their bounds, noting the original length', () => {
    const stored = toStorableMessage(row({ fromUsername: 'o'.repeat(5_000), msgId: '9'.repeat(300), msgInfo: { text: 'x'.repeat(20_000) } }));
    expect(stored.fromUsername).toBe('o'.repeat(128));
    expect(stored.msgId).toBe('9'.repeat(128));
    expect(stored.msgInfo.text).toBe('x'.repeat(16_384));
    expect(stored.msgInfo[STORAGE_NOTE_KEY]).toContain('from_username: cut from 5000 to 128 characters');
    expect(stored.msgInfo[STORAGE_NOTE_KEY]).toContain('msg_info.text: cut from 20000 to 16384 characters');
  });

  it('stores an over-long or unstorable dedup key as its digest, the same for the same key and apart for others', () => {
    const long = `evt:${'o'.repeat(3_000)}`;
    const first = toStorableMessage(row({ dedupKey: long })).dedupKey;
    expect(first).toMatch(/^sha256:[A-Za-z0-9_-]{43}$/);
    expect(toStorableMessage(row({ dedupKey: long })).dedupKey).toBe(first);
    expect(toStorableMessage(row({ dedupKey: `${long}p` })).dedupKey).not.toBe(first);
    const [high, low] = ['msg:\ud800', 'msg:\udc00'].map((dedupKey) => toStorableMessage(row({ dedupKey })).dedupKey);
    expect(high).not.toBe(low);
    expect(toStorableMessage(row({ dedupKey: 'msg:1' })).dedupKey).toBe('msg:1');
  });

  it('keeps the note itself bounded', () => {
    const msgInfo = Object.fromEntries(Array.from({ length: 200 }, (_, n) => [`field_${n}`, '\u0000']));
    const note = toStorableMessage(row({ msgInfo })).msgInfo[STORAGE_NOTE_KEY];
    expect(note?.length).toBe(1_024);
  });
});
