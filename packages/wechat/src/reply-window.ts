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

/** The largest allowance: no action can bring back more replies than were made in its last this many. */
export const MAX_REPLIES_PER_ACTION = Math.max(...Object.values(WINDOW_ALLOWANCES).map((allowance) => allowance.replies));

/**
 * A conversation's window as we keep it. We learn of a user's action only
 * when the worker stores the message, possibly after replies made since it
 * and after later actions; WeChat counted from the action itself. So the
 * window remembers when its latest action happened and when its latest
 * replies were made.
 */
export interface ConversationWindow extends ReplyWindow {
  /** WeChat's time of the latest action applied. */
  readonly lastActionAt: Date;
  /** Times of the latest replies, oldest first, at most MAX_REPLIES_PER_ACTION of them. */
  readonly recentReplyTimes: readonly Date[];
}

/**
 * The window once we know of `action` at `at`, in whatever order actions
 * reach us. The action's count is what WeChat allowed at `at`, less the
 * replies made since; it replaces the count only if no later action is
 * known (at the same second, the smaller of the two: we cannot tell which
 * came first). The deadline is the later one either way, as `openWindow`.
 */
export function applyAction(state: ConversationWindow | undefined, action: WindowAction, at: Date): ConversationWindow {
  const own = openWindow(undefined, action, at);
  if (state === undefined) return { ...own, lastActionAt: at, recentReplyTimes: [] };
  const spentSince = state.recentReplyTimes.filter((time) => time.getTime() >= at.getTime()).length;
  const fresh = Math.max(0, own.repliesLeft - spentSince);
  const order = Math.sign(at.getTime() - state.lastActionAt.getTime());
  const repliesLeft = order > 0 ? fresh : order === 0 ? Math.min(state.repliesLeft, fresh) : state.repliesLeft;
  return {
    deadline: new Date(Math.max(state.deadline.getTime(), own.deadline.getTime())),
    repliesLeft,
    lastActionAt: order > 0 ? at : state.lastActionAt,
    recentReplyTimes: state.recentReplyTimes,
  };
}

/** The window after a reply made at `at`; only for a window `checkReply` allowed. */
export function recordReply(state: ConversationWindow, at: Date): ConversationWindow {
  return {
    ...state,
    ...spendReply(state),
    recentReplyTimes: [...state.recentReplyTimes, at].slice(-MAX_REPLIES_PER_ACTION),
  };
}

/**
 * The window action a stored message is, by its MsgType and, for an event,
 * its Event, or undefined for what opens nothing. Its time is the message's
 * CreateTime: the window runs on WeChat's clock, not on when we received it.
 *
 * Text, images and mini program cards are what a user sends in a mini
 * program's customer-service session. Events other than the session entry
 * (subscription popups, media checks...) are the platform's, not the
 * user's. Other MsgTypes open nothing either: that session delivers no
 * other user message type, so an unknown push is more likely a platform
 * notice, and counting it would let through replies WeChat refuses.
 */
export function windowActionOf(message: { readonly msgType: string; readonly event?: string }): WindowAction | undefined {
  switch (message.msgType) {
    case 'text':
    case 'image':
    case 'miniprogrampage':
      return 'message';
    case 'event':
      return message.event === SESSION_ENTRY_EVENT ? 'session_entry' : undefined;
    default:
      return undefined;
  }
}
