import { PayloadError } from './errors.js';
import { optionalText, requiredText } from './fields.js';
import type { WechatFields } from './fields.js';
import type { EventMessage, InboundMessage, MessageBase, OtherMessage } from './message.js';

const DECIMAL_SECONDS = /^[0-9]{1,20}$/;

/**
 * Typed view of a trusted document. The four common fields and each known
 * type's own fields are required; an unknown MsgType becomes kind 'other'.
 */
export function normalizeMessage(fields: WechatFields): InboundMessage {
  const base = readBase(fields);
  switch (base.msgType) {
    case 'text':
      return {
        ...base,
        kind: 'text',
        msgId: requiredMsgId(fields),
        content: requiredText(fields, 'Content', { allowEmpty: true }),
      };
    case 'image':
      return {
        ...base,
        kind: 'image',
        msgId: requiredMsgId(fields),
        picUrl: requiredText(fields, 'PicUrl'),
        mediaId: requiredText(fields, 'MediaId'),
      };
    case 'miniprogrampage':
      return {
        ...base,
        kind: 'miniprogrampage',
        msgId: requiredMsgId(fields),
        title: requiredText(fields, 'Title', { allowEmpty: true }),
        appId: requiredText(fields, 'AppId'),
        pagePath: requiredText(fields, 'PagePath', { allowEmpty: true }),
        thumbUrl: optionalText(fields, 'ThumbUrl') ?? '',
        thumbMediaId: optionalText(fields, 'ThumbMediaId') ?? '',
      };
    case 'event':
      return eventMessage(base, fields);
    default:
      return otherMessage(base, fields);
  }
}

/** MsgId, or MsgID as some events spell it; '' counts as absent. */
export function readMsgId(fields: WechatFields): string | undefined {
  const msgId = optionalText(fields, 'MsgId') ?? optionalText(fields, 'MsgID');
  return msgId === '' ? undefined : msgId;
}

function readBase(fields: WechatFields): MessageBase {
  const createTime = requiredText(fields, 'CreateTime');
  if (!DECIMAL_SECONDS.test(createTime)) {
    throw new PayloadError('bad_field', 'CreateTime must be decimal seconds');
  }
  return {
    toUserName: requiredText(fields, 'ToUserName'),
    fromUserName: requiredText(fields, 'FromUserName'),
    createTime,
    msgType: requiredText(fields, 'MsgType'),
    fields,
  };
}

function requiredMsgId(fields: WechatFields): string {
  const msgId = readMsgId(fields);
  if (msgId === undefined) throw new PayloadError('missing_field', 'MsgId is required');
  return msgId;
}

function eventMessage(base: MessageBase, fields: WechatFields): EventMessage {
  const message: EventMessage = { ...base, kind: 'event', event: requiredText(fields, 'Event') };
  const sessionFrom = optionalText(fields, 'SessionFrom');
  const msgId = readMsgId(fields);
  if (sessionFrom !== undefined) message.sessionFrom = sessionFrom;
  if (msgId !== undefined) message.msgId = msgId;
  return message;
}

function otherMessage(base: MessageBase, fields: WechatFields): OtherMessage {
  const message: OtherMessage = { ...base, kind: 'other' };
  const msgId = readMsgId(fields);
  if (msgId !== undefined) message.msgId = msgId;
  return message;
}
