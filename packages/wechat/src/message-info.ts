import type { WechatFields } from './fields.js';
import type { InboundMessage } from './message.js';
import { toSnakeCase } from './snake-case.js';

// Already stored in their own columns, so never repeated in msg_info.
const COMMON_FIELDS = new Set(['ToUserName', 'FromUserName', 'CreateTime', 'MsgType']);
// Both spellings map to msg_id, which then takes the same value as message.msgId.
const MSG_ID_FIELDS = new Set(['MsgId', 'MsgID']);

/**
 * The `msg_info` column: a flat, type-specific summary. Keys absent from the
 * message are omitted rather than stored as ''. Events and unknown types keep
 * every top-level scalar (snake_case), so e.g. session_from appears exactly
 * when SessionFrom was sent; nested values stay in `fields` only.
 */
export function messageInfo(message: InboundMessage): Record<string, string> {
  switch (message.kind) {
    case 'text':
      return { text: message.content };
    case 'image':
      return { pic: message.picUrl, media_id: message.mediaId };
    case 'miniprogrampage':
      return {
        title: message.title,
        app_id: message.appId,
        page_path: message.pagePath,
        thumb_url: message.thumbUrl,
        thumb_media_id: message.thumbMediaId,
      };
    case 'event':
      return { ...scalarInfo(message.fields, message.msgId), event: message.event };
    case 'other':
      return scalarInfo(message.fields, message.msgId);
  }
}

function scalarInfo(fields: WechatFields, msgId: string | undefined): Record<string, string> {
  const info = new Map<string, string>();
  for (const [key, value] of Object.entries(fields)) {
    const skipped = COMMON_FIELDS.has(key) || MSG_ID_FIELDS.has(key) || key === 'Event';
    if (typeof value !== 'string' || skipped) continue;
    const name = toSnakeCase(key);
    // Keys that differ only in case or underscores collapse; the first one wins.
    if (!info.has(name)) info.set(name, value);
  }
  if (msgId !== undefined) info.set('msg_id', msgId);
  // fromEntries keeps a "__proto__" key as plain data.
  return Object.fromEntries(info);
}
