import { randomBytes } from 'node:crypto';
import { computeSignature, encryptMessage } from '@wxcs/wechat';

export const BENCH_APP = {
  token: 'benchToken2024',
  encodingAesKey: 'q7Kd2LmP9vXz4RtY8bNw3HcE6sJf1GhU5aZk0oViTpW',
  appId: 'wx8d3c1f0a9b2e4d67',
} as const;

export interface PreparedRequest {
  readonly method: 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Distinct safe-mode JSON callbacks (the recommended console setting), each
 * signed with its own timestamp/nonce the way WeChat does it, built up front
 * so the load generator spends no CPU on crypto during the run.
 */
export function buildSignedRequests(count: number): PreparedRequest[] {
  const aesKey = Buffer.from(`${BENCH_APP.encodingAesKey}=`, 'base64');
  const requests: PreparedRequest[] = [];
  const start = Math.floor(Date.now() / 1000);
  for (let i = 0; i < count; i++) {
    const timestamp = String(start + i);
    const nonce = String(100_000_000 + i);
    const message = JSON.stringify({
      ToUserName: 'gh_8f2d3c4b5a6e',
      FromUserName: `oG7Xw5KpT2rLm9QzA1bC3dE4f${String(i).padStart(5, '0')}`,
      CreateTime: Number(timestamp),
      MsgType: 'text',
      Content: `bench message ${i} ${randomBytes(8).toString('hex')}`,
      MsgId: `${7_300_000_000_000_000_000n + BigInt(i)}`,
    });
    const encrypt = encryptMessage({ aesKey, appId: BENCH_APP.appId, message });
    const query = new URLSearchParams({
      signature: computeSignature([BENCH_APP.token, timestamp, nonce]),
      timestamp,
      nonce,
      openid: 'oG7Xw5KpT2rLm9QzA1bC3dE4fH6j',
      encrypt_type: 'aes',
      msg_signature: computeSignature([BENCH_APP.token, timestamp, nonce, encrypt]),
    });
    requests.push({
      method: 'POST',
      path: `/wechat?${query.toString()}`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ToUserName: 'gh_8f2d3c4b5a6e', Encrypt: encrypt }),
    });
  }
  return requests;
}
