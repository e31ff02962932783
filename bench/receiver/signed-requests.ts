import { randomBytes } from 'node:crypto';
import { appCredentials, computeSignature, encryptMessage } from '@wxcs/wechat';

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

/** Hands out the next request to send. */
export type RequestSource = () => PreparedRequest;

/**
 * Safe-mode JSON callbacks (the recommended console setting). The encrypted
 * messages are built up front so the load generator spends its CPU on
 * sending; each request is then signed afresh with the current time and its
 * own nonce, as WeChat does, so every request is a new delivery (the
 * receiver answers a repeated delivery without queueing it).
 */
export function createSignedRequests(distinctMessages: number): RequestSource {
  const { aesKey } = appCredentials(BENCH_APP);
  const start = Math.floor(Date.now() / 1000);
  const encrypted: { body: string; encrypt: string }[] = [];
  for (let i = 0; i < distinctMessages; i++) {
    const message = JSON.stringify({
      ToUserName: 'gh_8f2d3c4b5a6e',
      FromUserName: `oG7Xw5KpT2rLm9QzA1bC3dE4f${String(i).padStart(5, '0')}`,
      CreateTime: start,
      MsgType: 'text',
      Content: `bench message ${i} ${randomBytes(8).toString('hex')}`,
      MsgId: `${7_300_000_000_000_000_000n + BigInt(i)}`,
    });
    const encrypt = encryptMessage({ aesKey, appId: BENCH_APP.appId, message });
    encrypted.push({ encrypt, body: JSON.stringify({ ToUserName: 'gh_8f2d3c4b5a6e', Encrypt: encrypt }) });
  }
  let sent = 0;
  return () => {
    const { encrypt, body } = encrypted[sent % encrypted.length] as { body: string; encrypt: string };
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(100_000_000 + sent);
    sent += 1;
    const query = new URLSearchParams({
      signature: computeSignature([BENCH_APP.token, timestamp, nonce]),
      timestamp,
      nonce,
      openid: 'oG7Xw5KpT2rLm9QzA1bC3dE4fH6j',
      encrypt_type: 'aes',
      msg_signature: computeSignature([BENCH_APP.token, timestamp, nonce, encrypt]),
    });
    return { method: 'POST', path: `/wechat?${query.toString()}`, headers: { 'content-type': 'application/json' }, body };
  };
}
