import { refuse } from './wechat-answer.js';

/** What each user action allows (发送客服消息): 5 replies in 48 h after a message, 2 in 1 min after entering the session. */
export const USER_MESSAGE_ALLOWANCE = { replies: 5, withinMs: 48 * 3_600_000 } as const;
export const SESSION_ENTRY_ALLOWANCE = { replies: 2, withinMs: 60_000 } as const;
const TYPING_NEEDS_EXCHANGE_WITHIN_MS = 30_000;
const TYPING_LASTS_MS = 15_000;

export interface ReplyWindow {
  readonly repliesLeft: number;
  readonly deadline: number;
}

interface Conversation {
  repliesLeft: number;
  deadline: number;
  lastExchangeAt: number;
  typingUntil: number;
}

/** Per app and openid: the reply allowance and the typing state, on the fake's clock. */
export function createReplyWindows(clock: () => number) {
  const conversations = new Map<string, Conversation>();

  function conversation(appId: string, openid: string): Conversation {
    const key = `${appId}\u0000${openid}`;
    let found = conversations.get(key);
    if (!found) {
      found = { repliesLeft: 0, deadline: -Infinity, lastExchangeAt: -Infinity, typingUntil: -Infinity };
      conversations.set(key, found);
    }
    return found;
  }

  // Allowances do not add up: the count is reset to this action's maximum, the deadline is the later one.
  function open(appId: string, openid: string, allowance: { replies: number; withinMs: number }): Conversation {
    const found = conversation(appId, openid);
    found.repliesLeft = allowance.replies;
    found.deadline = Math.max(found.deadline, clock() + allowance.withinMs);
    return found;
  }

  return {
    userSentMessage: (appId: string, openid: string): void => {
      open(appId, openid, USER_MESSAGE_ALLOWANCE).lastExchangeAt = clock();
    },

    userEnteredSession: (appId: string, openid: string): void => {
      open(appId, openid, SESSION_ENTRY_ALLOWANCE);
    },

    /** Spends one reply, or refuses the way WeChat does. */
    spendReply: (appId: string, openid: string): void => {
      const found = conversation(appId, openid);
      if (clock() > found.deadline) refuse(45015, 'response out of time limit or subscription is canceled');
      if (found.repliesLeft <= 0) refuse(45047, 'out of response count limit');
      found.repliesLeft -= 1;
      found.lastExchangeAt = clock();
      // Sending a message ends the typing indicator.
      found.typingUntil = -Infinity;
    },

    setTyping: (appId: string, openid: string, command: unknown): void => {
      if (command !== 'Typing' && command !== 'CancelTyping') refuse(45072, 'command invalid');
      const found = conversation(appId, openid);
      if (command === 'CancelTyping') {
        found.typingUntil = -Infinity;
        return;
      }
      if (clock() - found.lastExchangeAt > TYPING_NEEDS_EXCHANGE_WITHIN_MS) refuse(45080, 'has not sent message to user in 30 seconds');
      if (clock() < found.typingUntil) refuse(45081, 'already typing');
      found.typingUntil = clock() + TYPING_LASTS_MS;
    },

    window: (appId: string, openid: string): ReplyWindow => {
      const found = conversation(appId, openid);
      return { repliesLeft: found.repliesLeft, deadline: found.deadline };
    },

    isTyping: (appId: string, openid: string): boolean => {
      return clock() < conversation(appId, openid).typingUntil;
    },
  };
}
