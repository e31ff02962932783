/** The support API's answers as the page reads them (apps/support/src/conversations). */
export interface ReplyWindow {
  readonly deadline: string;
  readonly repliesLeft: number;
  readonly open: boolean;
}

export interface Conversation {
  readonly openid: string;
  readonly lastActivityAt: string;
  readonly lastMessage: { direction: 'inbound' | 'outbound'; type: string; summary: string; time: string; status?: string } | null;
  readonly unansweredCount: number;
  readonly window: ReplyWindow | null;
}

/** An archived image's state (the media archive); absent or null when the message has no image to archive. */
export interface Archive {
  readonly status: 'pending' | 'archived' | 'failed';
  readonly errcode: number | null;
  readonly reason: string | null;
  readonly contentType: string | null;
}

export interface Message {
  readonly direction: 'inbound' | 'outbound';
  readonly id: string;
  readonly type: string;
  readonly time: string;
  readonly content: Record<string, unknown>;
  readonly archive?: Archive | null;
  readonly status?: string;
  readonly errcode?: number | null;
  readonly errmsg?: string | null;
  readonly sentBy?: string | null;
}

export interface MessagePage {
  readonly messages: Message[];
  readonly window: ReplyWindow | null;
  readonly nextCursor: string | null;
}

export interface ReplyChange {
  readonly id: string;
  readonly openid: string;
  readonly status: string;
  readonly errcode: number | null;
  readonly errmsg: string | null;
}

export const messageKey = (message: Pick<Message, 'direction' | 'id'>) => `${message.direction}:${message.id}`;

/** The messages API's order: time, inbound before outbound at the same instant, then id. */
export function compareMessages(a: Message, b: Message): number {
  const time = Date.parse(a.time) - Date.parse(b.time);
  if (time !== 0) return time;
  if (a.direction !== b.direction) return a.direction === 'inbound' ? -1 : 1;
  return a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export const field = (record: Record<string, unknown>, key: string): string | undefined => {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};
