import type { InboundMessage } from './message.js';

/**
 * What the user did that lets us reply through the customer-service API:
 * sent a message, or entered the session (`user_enter_tempsession`).
 */
export type WindowAction = 'message' | 'session_entry';

/** A conversation's allowance: replies may be sent before `deadline` while `repliesLeft` > 0. */
export interface ReplyWindow {
  readonly deadline: Date;
  readonly repliesLeft: number;
}

export type ReplyRefusal = 'reply_window_closed' | 'reply_quota_spent';

export type ReplyCheck = { readonly ok: true } | { readonly ok: false; readonly reason: ReplyRefusal };

/** WeChat's allowance per action (发送客服消息). */
export const WINDOW_ALLOWANCES: Readonly<Record<WindowAction, { readonly replies: number; readonly withinMs: number }>> = {
  message: { replies: 5, withinMs: 48 * 60 * 60 * 1000 },
  session_entry: { replies: 2, withinMs: 60 * 1000 },
};

const SESSION_ENTRY_EVENT = 'user_enter_tempsession';

/**
 * The window after `action` happened at `at`. Allowances do not add up: the
 * count becomes the action's own maximum, whatever was left or spent, and
 * the deadline becomes the later of the current one and the action's own.
 *
 * Read literally, so a session entry during a message's 48 hours leaves 2
 * replies until the 48 hours end, not 5: WeChat's wording resets the count
 * on "each such action" and keeps only the later deadline. Where WeChat
 * turns out to allow more, we refuse a reply it would have accepted, which
 * is the safe side of the error.
 */
export function openWindow(state: ReplyWindow | undefined, action: WindowAction, at: Date): ReplyWindow {
  const allowance = WINDOW_ALLOWANCES[action];
  const ownDeadline = at.getTime() + allowance.withinMs;
  if (!Number.isFinite(ownDeadline)) throw new RangeError('at must be a valid date');
  const deadline = state === undefined ? ownDeadline : Math.max(state.deadline.getTime(), ownDeadline);
  return { deadline: new Date(deadline), repliesLeft: allowance.replies };
}

/**
 * Whether a reply may be sent at `now`. The deadline is exclusive: "within
 * 48 hours" of the message ends at the 48th hour. A closed window is
 * reported before a spent quota, since only a new user action reopens it.
 */
export function checkReply(state: ReplyWindow | undefined, now: Date): ReplyCheck {
  if (state === undefined || now.getTime() >= state.deadline.getTime()) {
    return { ok: false, reason: 'reply_window_closed' };
  }
  if (state.repliesLeft <= 0) return { ok: false, reason: 'reply_quota_spent' };
  return { ok: true };
}

/** The window after one reply; only for a window `checkReply` allowed. */
export function spendReply(state: ReplyWindow): ReplyWindow {
  if (state.repliesLeft <= 0) throw new RangeError('no reply left to spend');
  return { deadline: state.deadline, repliesLeft: state.repliesLeft - 1 };
}

/**
 * The window action an inbound message is, with WeChat's CreateTime as its
 * time (the window runs on WeChat's clock, not on when we received it), or
 * undefined for what opens nothing.
 *
 * Text, images and mini program cards are what a user sends in a mini
 * program's customer-service session. Events other than the session entry
 * (subscription popups, media checks...) are the platform's, not the
 * user's. Other MsgTypes open nothing either: that session delivers no
 * other user message type, so an unknown push is more likely a platform
 * notice, and counting it would let through replies WeChat refuses.
 */
export function windowActionOf(message: InboundMessage): { action: WindowAction; at: Date } | undefined {
  const at = new Date(Number(message.createTime) * 1000);
  switch (message.kind) {
    case 'text':
    case 'image':
    case 'miniprogrampage':
      return { action: 'message', at };
    case 'event':
      return message.event === SESSION_ENTRY_EVENT ? { action: 'session_entry', at } : undefined;
    case 'other':
      return undefined;
  }
}
