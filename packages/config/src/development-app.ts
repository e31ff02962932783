import type { SupportApiToken } from './support-tokens.js';
import type { WechatAppConfig } from './wechat-apps.js';

/**
 * Development-only identity so `npm start` and `npm run demo` work on a fresh
 * clone. Refused in production, where a guessable token would let anyone forge
 * callbacks.
 */
export const DEVELOPMENT_APP: WechatAppConfig = {
  name: 'default',
  token: 'devtoken',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appId: 'wx0000000000devapp',
  transferToCustomerService: false,
  messageEncryption: 'safe',
  // Only the testkit's fake WeChat API (`npm run demo`) accepts it.
  appSecret: '0123456789abcdef0123456789abcdef',
};

/** The support API's bearer token when SUPPORT_API_TOKENS is unset outside production; `npm run demo` prints it. */
export const DEVELOPMENT_SUPPORT_TOKEN: SupportApiToken = { name: 'development', token: 'wxcs-dev-support-token' };
