import { describe, expect, it } from 'vitest';
import { callbackTarget } from './callback-url.js';

describe('callbackTarget', () => {
  it('takes /wechat and /wechat/<app> with their query, parsed by querystring.parse', () => {
    expect(callbackTarget('/wechat')).toEqual({ app: undefined, query: {} });
    expect(callbackTarget('/wechat?timestamp=1&nonce=a+b%2Fc&nonce=2')).toEqual({
      app: undefined,
      query: { timestamp: '1', nonce: ['a b/c', '2'] },
    });
    expect(callbackTarget('/wechat/shop-2_b?signature=x')).toEqual({ app: 'shop-2_b', query: { signature: 'x' } });
    expect(callbackTarget('/wechat/default?')).toEqual({ app: 'default', query: {} });
    expect(callbackTarget('/wechat/default?next=/wechat/other?x')).toEqual({ app: 'default', query: { next: '/wechat/other?x' } });
  });

  it('accepts one trailing slash', () => {
    expect(callbackTarget('/wechat/')).toEqual({ app: undefined, query: {} });
    expect(callbackTarget('/wechat/default/?nonce=1')).toEqual({ app: 'default', query: { nonce: '1' } });
  });

  it('passes the app segment on as sent, to name no configured app: no case folding, no percent-decoding', () => {
    expect(callbackTarget('/wechat/Default')?.app).toBe('Default');
    expect(callbackTarget('/wechat/%64efault')?.app).toBe('%64efault');
    expect(callbackTarget('/wechat/%ZZ')?.app).toBe('%ZZ');
    expect(callbackTarget('/wechat/..%2f..%2fetc%2fpasswd')?.app).toBe('..%2f..%2fetc%2fpasswd');
  });

  it('refuses every other path', () => {
    for (const url of [
      '/WeChat/default',
      '/WECHAT',
      '/wechat//',
      '/wechat//default',
      '/wechat/default//',
      '/wechat/a/b',
      '/wechat/default/extra',
      '/wechatx',
      '/wechat.php',
      '/wechat%2fdefault',
      '//wechat',
      'http://host/wechat',
      'http://host/wechat/default?nonce=1',
      '*',
      '/',
      '/healthz',
      '?/wechat',
      '',
    ]) {
      expect(callbackTarget(url), url).toBeUndefined();
    }
  });
});
