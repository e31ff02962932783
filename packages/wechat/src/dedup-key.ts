import { fieldsDigest } from './fields-digest.js';
import { isFieldsObject } from './fields.js';
import type { WechatFields, WechatValue } from './fields.js';
import type { InboundMessage } from './message.js';

/**
 * Durable dedup key built from decrypted content only (retries may not be
 * byte-identical, so raw bytes and msg_signature are unusable):
 *   - `msg:<MsgId>` when the message carries MsgId/MsgID;
 *   - otherwise `evt:` + length-prefixed FromUserName, CreateTime, MsgType,
 *     Event and the event's own ids (trace_id, or the MsgIDs inside a
 *     subscribe-message `List`). FromUserName + CreateTime alone collide when
 *     one user triggers two events in the same second.
 *   - an event without an id of its own ends in `-` and the digest of all its
 *     fields: two session entries in one second differ only in SessionFrom,
 *     while a retry decrypts to the same fields and so to the same key.
 * Each part is written as `<length>:<text>` and an absent part as `-`, so two
 * different inputs can never produce the same key.
 */
export function dedupKey(message: InboundMessage): string {
  if (message.msgId !== undefined) return `msg:${message.msgId}`;
  const event = message.kind === 'event' ? message.event : undefined;
  const ownIds = eventOwnIds(message.fields);
  const identity =
    ownIds.length > 0 ? encodePart(ownIds.map(encodePart).join('')) : `-${encodePart(fieldsDigest(message.fields))}`;
  return `evt:${[message.fromUserName, message.createTime, message.msgType, event].map(encodePart).join('')}${identity}`;
}

function encodePart(part: string | undefined): string {
  return part === undefined ? '-' : `${part.length}:${part}`;
}

function eventOwnIds(fields: WechatFields): string[] {
  const traceId = fields.trace_id;
  if (typeof traceId === 'string' && traceId !== '') return [traceId];
  // JSON puts `List` at the top level; XML wraps it, e.g. <SubscribeMsgSentEvent><List>.
  const containers = [fields, ...Object.values(fields).filter(isFieldsObject)];
  return containers.flatMap((container) => listItems(container.List).flatMap(itemMsgId));
}

// One item arrives as an object, several as an array.
function listItems(list: WechatValue | undefined): WechatValue[] {
  if (list === undefined) return [];
  return Array.isArray(list) ? list : [list];
}

function itemMsgId(item: WechatValue): string[] {
  if (!isFieldsObject(item)) return [];
  const id = item.MsgID ?? item.MsgId;
  return typeof id === 'string' && id !== '' ? [id] : [];
}
