import { formatDuration, type Lang, type MessageKey, type Translate } from './i18n.js';
import type { ReplyWindow } from './model.js';

/** Why WeChat would refuse a reply now, or undefined when it would take one. */
export function refusalReason(window: ReplyWindow | null, canReply: boolean, now: number): MessageKey | undefined {
  if (!canReply) return 'reasonInboundOnly';
  if (window === null) return 'reasonNoWindow';
  if (Date.parse(window.deadline) <= now) return 'reasonClosed';
  if (window.repliesLeft <= 0) return 'reasonSpent';
  return undefined;
}

/** "3 h 12 min left · 4 replies left", or why it is closed. */
export function describeWindow(window: ReplyWindow | null, now: number, t: Translate, lang: Lang): string {
  if (window === null) return t('noWindow');
  const left = Date.parse(window.deadline) - now;
  if (left <= 0 || window.repliesLeft <= 0) return t('windowClosed');
  return t('windowOpen', { time: formatDuration(left, lang), n: window.repliesLeft });
}

/** Closing within the hour: the list marks it. */
export const closingSoon = (window: ReplyWindow | null, now: number) =>
  window !== null && window.repliesLeft > 0 && Date.parse(window.deadline) > now && Date.parse(window.deadline) - now <= 3_600_000;
