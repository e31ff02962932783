import { randomBytes, randomUUID } from 'node:crypto';
import type { WechatAppConfig } from '@wxcs/config';
import { inboundQueue, type InboundCallback, type InboundQueue } from '@wxcs/queue';
import { appCredentials, type AppCredentials, type DataFormat, type MessageEncryption, type WechatFields } from '@wxcs/wechat';
import { SAMPLE_APP, sampleMessage, simulateCallback, type SampleName } from '@wxcs/wechat/testing';
import { waitFor } from '@wxcs/testkit';

/** The mini program every worker test is configured with. */
export const TEST_APP: WechatAppConfig = {
  name: 'shop',
  ...SAMPLE_APP,
  transferToCustomerService: false,
  // Tests cover every mode, plaintext included.
  messageEncryption: 'plaintext',
};

export interface CallbackSpec {
  readonly message: WechatFields | SampleName;
  readonly format?: DataFormat;
  readonly mode?: MessageEncryption;
  /** Signs/encrypts with these credentials (e.g. a foreign appid) instead of TEST_APP's. */
  readonly signWith?: AppCredentials;
  readonly app?: string;
}

/**
 * A callback as the receiver would enqueue it. Every call is a new delivery:
 * fresh nonce, timestamp, IV and callback id, as a WeChat retry would be.
 */
export function inboundCallback(spec: CallbackSpec): InboundCallback {
  const simulated = simulateCallback({
    app: spec.signWith ?? appCredentials(TEST_APP),
    message: spec.message,
    format: spec.format ?? 'json',
    mode: spec.mode ?? 'safe',
    nonce: String(randomBytes(4).readUInt32BE()),
    timestamp: String(Math.floor(Date.now() / 1_000)),
  });
  return {
    v: 1,
    callbackId: randomUUID(),
    app: spec.app ?? TEST_APP.name,
    receivedAt: new Date().toISOString(),
    body: simulated.body,
    contentType: simulated.contentType,
    query: simulated.query,
  };
}

/** A text message with a MsgId beyond 2^53 (distinct per `n`). */
export function textMessage(n: number, content = `message ${n}`): WechatFields {
  return { ...sampleMessage('text'), MsgId: (2n ** 62n + BigInt(n)).toString(), Content: content };
}

export async function enqueue(queue: InboundQueue, callbacks: readonly InboundCallback[], attempts = 5): Promise<void> {
  for (let start = 0; start < callbacks.length; start += 500) {
    await queue.addBulk(
      callbacks.slice(start, start + 500).map((callback) => ({
        name: inboundQueue.jobName,
        data: callback,
        opts: { ...inboundQueue.jobOptions({ attempts }), jobId: inboundQueue.jobId(callback) },
      })),
    );
  }
}

/** Waits until no job is waiting, active, delayed or prioritized: every callback enqueued so far has been settled. */
export async function waitUntilQueueEmpty(queue: InboundQueue, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    'the inbound queue to be empty',
    async () => Object.values(await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')).every((count) => count === 0),
    { timeoutMs },
  );
}
