import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeSignature, verifyMsgSignature, verifyUrlSignature } from './signature.js';

const sha1 = (text: string) => createHash('sha1').update(text, 'utf8').digest('hex');

describe('computeSignature', () => {
  it('reproduces the official GET verification example (Token AAAAA)', () => {
    // developers.weixin.qq.com/miniprogram/dev/framework/server-ability/message-push.html
    expect(computeSignature(['AAAAA', '1714036504', '1514711492'])).toBe(
      'f464b24fc39322e44b38aa78f5edd27bd1441696',
    );
  });

  it('reproduces the official plaintext-mode POST signature', () => {
    expect(computeSignature(['AAAAA', '1714037059', '486452656'])).toBe(
      '899cf89e464efb63f54ddac96b0a0a235f53aa78',
    );
  });

  it('sorts as strings, not numbers (Senparc capture: 9-digit nonce, 10-digit timestamp)', () => {
    const signature = computeSignature(['weixin', '1414387151', '917222494']);
    expect(signature).toBe('e3203b6433eb554dd2fcba78fa48cb948fcb4801');
    // Numeric order would put the nonce first and give a different digest.
    expect(sha1('9172224941414387151weixin')).not.toBe(signature);
    expect(sha1('1414387151917222494weixin')).toBe(signature);
  });

  it('does not depend on the order of its input', () => {
    const parts = ['AAAAA', '1714112445', '415670741', 'ZZ+/=='];
    expect(computeSignature([...parts].reverse())).toBe(computeSignature(parts));
  });

  it('orders by code point (UTF-8 bytes), as PHP and Python do, not by UTF-16 unit', () => {
    // UTF-16 puts the emoji (0xD83D...) before U+FF01; code point order puts it after.
    expect(computeSignature(['\u{1F600}', '\uFF01'])).toBe(sha1('\uFF01\u{1F600}'));
  });

  it('orders lone surrogates by the bytes they are encoded to (U+FFFD), never joining two into a pair', () => {
    const bytes = (part: string) => Buffer.from(part, 'utf8');
    const parts = ['a\uD83D', '\uDE00b', '\uFFFC'];
    const expected = createHash('sha1');
    for (const part of [...parts].map(bytes).sort((a, b) => Buffer.compare(a, b))) expected.update(part);
    expect(computeSignature(parts)).toBe(expected.digest('hex'));
    expect(computeSignature(parts)).not.toBe(sha1([...parts].sort().join('')));
  });

  it('is lowercase hex sha1 of the plain concatenation, with no separator', () => {
    expect(computeSignature(['b', 'a', 'c'])).toBe(sha1('abc'));
    expect(computeSignature(['b', 'a', 'c'])).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('verifyUrlSignature', () => {
  const valid = {
    token: 'AAAAA',
    timestamp: '1714036504',
    nonce: '1514711492',
    signature: 'f464b24fc39322e44b38aa78f5edd27bd1441696',
  };

  it('accepts the official example', () => {
    expect(verifyUrlSignature(valid)).toBe(true);
  });

  it.each([
    ['another token', { ...valid, token: 'AAAAB' }],
    ['another nonce', { ...valid, nonce: '1514711493' }],
    ['uppercase hex', { ...valid, signature: valid.signature.toUpperCase() }],
    ['a truncated signature', { ...valid, signature: valid.signature.slice(0, 39) }],
    ['an empty signature', { ...valid, signature: '' }],
    ['a non-ASCII signature', { ...valid, signature: 'é'.repeat(20) }],
  ])('rejects %s without throwing', (_label, input) => {
    expect(verifyUrlSignature(input)).toBe(false);
  });
});

describe('verifyMsgSignature', () => {
  const encrypt =
    '+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=';
  const valid = {
    token: 'AAAAA',
    timestamp: '1714112445',
    nonce: '415670741',
    encrypt,
    msgSignature: '046e02f8204d34f8ba5fa3b1db94908f3df2e9b3',
  };

  it('accepts the official safe-mode example', () => {
    expect(verifyMsgSignature(valid)).toBe(true);
  });

  it('rejects a modified Encrypt and the plain 3-part signature', () => {
    expect(verifyMsgSignature({ ...valid, encrypt: encrypt.slice(1) })).toBe(false);
    // The safe-mode `signature` parameter is valid for its 3 parts but is not a msg_signature.
    expect(
      verifyMsgSignature({ ...valid, msgSignature: '6c5c811b55cc85e0e1b54100749188c20beb3f5d' }),
    ).toBe(false);
  });
});
