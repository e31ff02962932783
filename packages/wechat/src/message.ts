import type { WechatFields } from './fields.js';

/** Common to every push. `fields` is the whole trusted document, untouched. */
export interface MessageBase {
  toUserName: string;
  fromUserName: string;
  /** Seconds since the epoch, as the decimal string WeChat sent. */
  createTime: string;
  msgType: string;
  fields: WechatFields;
}

export type TextMessage = MessageBase & { kind: 'text'; msgId: string; content: string };

export type ImageMessage = MessageBase & {
  kind: 'image';
  msgId: string;
  picUrl: string;
  mediaId: string;
};

/** ThumbUrl/ThumbMediaId are '' when WeChat sends them empty or omits them. */
export type MiniProgramPageMessage = MessageBase & {
  kind: 'miniprogrampage';
  msgId: string;
  title: string;
  appId: string;
  pagePath: string;
  thumbUrl: string;
  thumbMediaId: string;
};

export type EventMessage = MessageBase & {
  kind: 'event';
  event: string;
  sessionFrom?: string;
  msgId?: string;
};

/** Any other MsgType (voice, file, platform notices...): kept whole, never dropped. */
export type OtherMessage = MessageBase & { kind: 'other'; msgId?: string };

export type InboundMessage =
  | TextMessage
  | ImageMessage
  | MiniProgramPageMessage
  | EventMessage
  | OtherMessage;

export type MessageKind = InboundMessage['kind'];
