import { computeSignature, decryptMessage, parseDocument, type WechatFields } from '@wxcs/wechat';
import { SAMPLE_APP, SAMPLE_OPENID, SAMPLE_TO_USER_NAME, sampleCredentials, simulateCallback } from '@wxcs/wechat/testing';
import { describe, expect } from 'vitest';
import { receiverTest } from './testing/receiver-test.js';
import { getPath, postCallback } from './testing/requests.js';

const it = receiverTest({ label: 'receiver-transfer' });
const credentials = sampleCredentials();

function expectTransfer(fields: WechatFields): void {
  expect(fields).toMatchObject({
    ToUserName: SAMPLE_OPENID,
    FromUserName: SAMPLE_TO_USER_NAME,
    MsgType: 'transfer_customer_service',
  });
  expect(fields.CreateTime).toMatch(/^\d{10}$/);
}

/** Checks the envelope's signature like WeChat would, then opens it. */
function openSealed(text: string): WechatFields {
  const { fields } = parseDocument(text);
  const { Encrypt, MsgSignature, TimeStamp, Nonce } = fields as Record<string, string>;
  expect(MsgSignature).toBe(computeSignature([SAMPLE_APP.token, TimeStamp ?? '', Nonce ?? '', Encrypt ?? '']));
  expect(Nonce).toBe('transfer-nonce');
  return parseDocument(decryptMessage({ aesKey: credentials.aesKey, appId: SAMPLE_APP.appId, encrypt: Encrypt ?? '' })).fields;
}

describe('passive transfer_customer_service reply (app option on)', () => {
  for (const format of ['json', 'xml'] as const) {
    it(`plaintext ${format}: answers the transfer in the app's format and still queues the callback`, async ({ receiver, queue }) => {
      const sim = simulateCallback({ app: credentials, message: 'text', format, mode: 'plaintext', nonce: `plain-${format}` });
      const response = await postCallback(receiver.url, '/wechat/shop', sim);
      expect(response.status).toBe(200);
      expect(response.contentType).toContain(format);
      const reply = parseDocument(response.text);
      expect(reply.format).toBe(format);
      expectTransfer(reply.fields);
      expect((await queue.callbacks()).find((c) => c.query.nonce === `plain-${format}`)).toMatchObject({ app: 'shop', body: sim.body });
    });

    it(`safe ${format}: the reply is sealed, signed and opens to the transfer`, async ({ receiver }) => {
      const sim = simulateCallback({ app: credentials, message: 'image', format, mode: 'safe', nonce: 'transfer-nonce' });
      const response = await postCallback(receiver.url, '/wechat/shop', sim);
      expect(response.status).toBe(200);
      expect(parseDocument(response.text).format).toBe(format);
      expectTransfer(openSealed(response.text));
    });
  }

  it('answers success to events, where WeChat ignores a transfer', async ({ receiver }) => {
    for (const mode of ['plaintext', 'safe'] as const) {
      const sim = simulateCallback({ app: credentials, message: 'event', format: 'xml', mode });
      expect(await postCallback(receiver.url, '/wechat/shop', sim)).toMatchObject({ status: 200, text: 'success' });
    }
  });

  it('falls back to success (callback still queued) when the message cannot be opened', async ({ receiver, queue }) => {
    const wrongKey = { ...credentials, aesKey: Buffer.alloc(32, 7) };
    const sim = simulateCallback({ app: wrongKey, message: 'text', format: 'json', mode: 'safe', nonce: 'undecryptable' });
    expect(await postCallback(receiver.url, '/wechat/shop', sim)).toMatchObject({ status: 200, text: 'success' });
    expect((await queue.callbacks()).some((c) => c.query.nonce === 'undecryptable')).toBe(true);
    expect((await getPath(receiver.opsUrl, '/metrics')).text).toMatch(/wxcs_receiver_transfer_replies_total\{[^}]*result="failed"[^}]*\} 1/);
  });
});

describe('with the option off', () => {
  it('answers success to user messages and never opens the message', async ({ receiver }) => {
    const sim = simulateCallback({ app: credentials, message: 'text', format: 'json', mode: 'safe' });
    expect(await postCallback(receiver.url, '/wechat/default', sim)).toMatchObject({ status: 200, text: 'success' });
    const metrics = (await getPath(receiver.opsUrl, '/metrics')).text;
    const decisions = [...metrics.matchAll(/wxcs_receiver_transfer_replies_total\{[^}]*\} (\d+)/g)].map((m) => Number(m[1]));
    // Only the /wechat/shop requests above made a transfer decision.
    expect(decisions.reduce((a, b) => a + b, 0)).toBe(7);
  });
});
