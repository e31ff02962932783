import { PayloadError } from './errors.js';
import type { DataFormat } from './format.js';
import type { InboundMessage } from './message.js';
import { cdata, xmlDocument } from './xml-writer.js';

const TRANSFER_MSG_TYPE = 'transfer_customer_service';

/** WeChat honours a transfer only in reply to a user message, not to an event. */
export function isTransferable(message: InboundMessage): boolean {
  return message.kind !== 'event';
}

/**
 * Passive reply handing the session to the customer-service tool. To/From are
 * swapped relative to the inbound message and the reply uses the configured
 * format (an XML reply to a JSON-configured app is ignored). In safe mode the
 * result must still go through sealReply.
 */
export function buildTransferReply(p: {
  message: InboundMessage;
  format: DataFormat;
  now: Date;
}): string {
  if (!isTransferable(p.message)) {
    throw new PayloadError('not_transferable', 'transfer_customer_service cannot answer an event');
  }
  const createTime = Math.floor(p.now.getTime() / 1000);
  if (!Number.isSafeInteger(createTime) || createTime < 0) {
    throw new RangeError('now must be a valid date after 1970');
  }
  const toUserName = p.message.fromUserName;
  const fromUserName = p.message.toUserName;
  if (p.format === 'json') {
    return JSON.stringify({
      ToUserName: toUserName,
      FromUserName: fromUserName,
      CreateTime: createTime,
      MsgType: TRANSFER_MSG_TYPE,
    });
  }
  return xmlDocument([
    ['ToUserName', cdata(toUserName)],
    ['FromUserName', cdata(fromUserName)],
    ['CreateTime', String(createTime)],
    ['MsgType', cdata(TRANSFER_MSG_TYPE)],
  ]);
}
