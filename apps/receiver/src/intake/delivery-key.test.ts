import { describe, expect, it } from 'vitest';
import { deliveryKey } from './delivery-key.js';

const encrypted = { timestamp: '1714112445', nonce: '415670741', msg_signature: 'a'.repeat(40), signature: 'b'.repeat(40), encrypt_type: 'aes' };

describe('deliveryKey', () => {
  it('is the same for the same signed delivery whatever else the body holds', () => {
    const first = deliveryKey({ app: 'shop', query: encrypted, body: '{"Encrypt":"x"}' });
    expect(deliveryKey({ app: 'shop', query: { ...encrypted, openid: 'o1' }, body: '{"Encrypt":"x","Pad":"yyyy"}' })).toBe(first);
    expect(first).toMatch(/^d1-[A-Za-z0-9_-]{43}$/);
  });

  it('differs by app, timestamp, nonce and msg_signature', () => {
    const key = (app: string, query: Record<string, string>) => deliveryKey({ app, query, body: '' });
    const keys = new Set([
      key('shop', encrypted),
      key('other', encrypted),
      key('shop', { ...encrypted, timestamp: '1714112446' }),
      key('shop', { ...encrypted, nonce: '415670742' }),
      key('shop', { ...encrypted, msg_signature: 'c'.repeat(40) }),
    ]);
    expect(keys.size).toBe(5);
  });

  it('covers the body in plaintext mode, where the signature does not', () => {
    const plain = { timestamp: '1714112445', nonce: '415670741', signature: 'b'.repeat(40) };
    expect(deliveryKey({ app: 'shop', query: plain, body: '<xml>1</xml>' })).not.toBe(
      deliveryKey({ app: 'shop', query: plain, body: '<xml>2</xml>' }),
    );
  });

  it('keeps the keys receivers already wrote, so replicas of different versions agree', () => {
    // sha256 of the parts, each followed by NUL (the body too in plaintext mode), as base64url.
    expect(deliveryKey({ app: 'shop', query: encrypted, body: '{"Encrypt":"x"}' })).toBe('d1-zknl2-xqU9iswESdpu-cKfDmIFs1FXS03VbwLVYNGbI');
    const plain = { timestamp: '1714112445', nonce: '415670741', signature: 'b'.repeat(40) };
    expect(deliveryKey({ app: 'shop', query: plain, body: '<xml>1</xml>' })).toBe('d1-TYDCfG05WdFXeUjpNnewXHDl_4nPSrdFWIstkWgK3xY');
  });

  it('cannot be steered by parts that run into each other', () => {
    const a = deliveryKey({ app: 'shop', query: { timestamp: '12', nonce: '3', msg_signature: 's' }, body: '' });
    const b = deliveryKey({ app: 'shop', query: { timestamp: '1', nonce: '23', msg_signature: 's' }, body: '' });
    expect(a).not.toBe(b);
  });
});
