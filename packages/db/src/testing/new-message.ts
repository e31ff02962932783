import type { NewCustomerMessage } from '../repository/customer-message.js';

let sequence = 0;

/**
 * A plausible text message row, each call its own (dedup key, times and text
 * numbered), with whatever the test cares about in `overrides`.
 */
export function newMessage(overrides: Partial<NewCustomerMessage> = {}): NewCustomerMessage {
  sequence += 1;
  return {
    appId: 'wx_app_1',
    signature: 'sig',
    timestamp: '1700000000',
    nonce: 'n',
    openid: 'o_openid',
    encryptType: null,
    msgSignature: null,
    toUsername: 'gh_service',
    fromUsername: 'o_user',
    msgType: 'text',
    msgInfo: { text: `hello ${sequence}` },
    msgId: null,
    encrypt: null,
    dedupKey: `key-${sequence}`,
    msgCreateTime: new Date(Date.UTC(2025, 0, 1, 0, 0, sequence, 123)),
    payloadJson: JSON.stringify({ Content: `hello ${sequence}` }),
    dataFormat: 'json',
    receivedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, sequence, 456)),
    ...overrides,
  };
}
