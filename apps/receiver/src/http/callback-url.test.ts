import { describe, expect, it } from 'vitest';
import { callbackTarget } from './callback-url.js';

describe('callbackTarget', () => {
  it('takes /wechat and /wechat/<app> with their query, parsed as Express does', () => {
    expect(callbackTarget('/wechat')).toEqual({ app: undefined, query: {} });
    expect(callbackTarget('/wechat?timestamp=1&nonce=a+b%2Fc&nonce=2')).toEqual({
      app: undefined,
      query: { timestamp: '1', nonce: ['a b/c', '2'] },
    });
    expect(callbackTarget('/wechat/shop-2_b?signature=x')).toEqual({ app: 'shop-2_b', query: { signature: 'x' } });
    expect(callbackTarget('/wechat/default?')).toEqual({ app: 'default', query: {} });
  });

  it('leaves every other spelling and path to Express', () => {
    for (const url of [
      '/wechat/',
      '/wechat/default/',
      '/WeChat/default',
      '/wechat/Default',
      '/wechat/%64efault',
      '/wechat/a/b',
      '/wechat/default#x',
      '/wechat/default?a=1#frag',
      '/wechat?a=b c',
      '/wechatx',
      '//wechat',
      'http://host/wechat',
      '/healthz',
      '',
    ]) {
      expect(callbackTarget(url), url).toBeUndefined();
    }
  });
});
