import { toStorableMessage, type NewCustomerMessage } from '@wxcs/db';
import type { InboundCallback } from '@wxcs/queue';
import { dedupKey, messageInfo, type InboundMessage, type OpenedCallback } from '@wxcs/wechat';

export interface RowSource {
  readonly callback: InboundCallback;
  /** The AppID configured for `callback.app` (and, in encrypted modes, verified against the ciphertext). */
  readonly appId: string;
  readonly opened: OpenedCallback;
  readonly message: InboundMessage;
}

/**
 * The `customer_message` row for one opened callback. `payloadJson` is the
 * whole trusted document with every scalar as the exact string WeChat sent
 * (MsgId stays exact and JSON- and XML-format messages look alike); the seed
 * columns keep the signed query parameters as received. `openid` is the
 * sender, FromUserName: the query's openid is signed by nothing, so it can
 * only ever agree with it. What PostgreSQL cannot hold is replaced or cut,
 * and noted in `msg_info` (`toStorableMessage`).
 */
export function toCustomerMessageRow(source: RowSource): NewCustomerMessage {
  const { callback, opened, message } = source;
  const query = callback.query;
  return toStorableMessage({
    appId: source.appId,
    signature: query.signature ?? null,
    timestamp: query.timestamp ?? null,
    nonce: query.nonce ?? null,
    openid: message.fromUserName,
    encryptType: query.encrypt_type ?? null,
    msgSignature: query.msg_signature ?? null,
    toUsername: message.toUserName,
    fromUsername: message.fromUserName,
    msgType: message.msgType,
    msgInfo: messageInfo(message),
    msgId: message.msgId ?? null,
    encrypt: opened.encrypt ?? null,
    dedupKey: dedupKey(message),
    // normalizeMessage guarantees decimal seconds.
    msgCreateTime: new Date(Number(message.createTime) * 1_000),
    payloadJson: JSON.stringify(opened.fields),
    dataFormat: opened.format,
    receivedAt: new Date(callback.receivedAt),
  });
}
