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
};
