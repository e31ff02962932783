import type { Api } from './api.js';
import { h, replaceChildren } from './dom.js';
import { renderMessage, type ItemContext } from './message-item.js';
import { compareMessages, messageKey, type Message, type MessagePage, type ReplyChange, type ReplyWindow } from './model.js';

const PAGE = 50;

export interface Thread {
  readonly element: HTMLElement;
  readonly openid: string;
  readonly window: () => ReplyWindow | null;
  /** Loads the newest page again and merges it: new messages, changed replies. */
  readonly refresh: () => Promise<void>;
  readonly applyReply: (change: ReplyChange) => void;
  /** Whether a message shown carries this media id (an image, a card's thumbnail). */
  readonly shows: (mediaId: string) => boolean;
  /** Shows the newest message; called once the thread is in the page (before that nothing has a height). */
  readonly scrollToEnd: () => void;
}

/**
 * One conversation, newest page first and older pages as the agent scrolls
 * up, so a 5 000-message thread costs one page to open. Messages are kept in
 * the API's order; a refresh inserts what is new where it belongs and
 * replaces only the items that changed.
 */
export async function openThread(api: Api, ctx: ItemContext, openid: string, onWindow: (window: ReplyWindow | null) => void): Promise<Thread> {
  const base = `/api/v1/apps/${encodeURIComponent(ctx.app)}/conversations/${encodeURIComponent(openid)}/messages`;
  const list = h('ol', { class: 'messages', 'aria-live': 'polite' });
  const older = h('button', { class: 'load-older', type: 'button' }, ctx.t('loadOlder'));
  const scroller = h('div', { class: 'thread-scroll' }, older, list);
  const messages: Message[] = [];
  const items = new Map<string, HTMLElement>();
  let olderCursor: string | null = null;
  let window: ReplyWindow | null = null;
  let loadingOlder = false;

  const place = (message: Message) => {
    const key = messageKey(message);
    const element = renderMessage(message, ctx);
    const existing = items.get(key);
    if (existing !== undefined) {
      const index = messages.findIndex((known) => messageKey(known) === key);
      messages[index] = message;
      existing.replaceWith(element);
      items.set(key, element);
      return;
    }
    // New messages are nearly always the newest: search from the end.
    let index = messages.length;
    while (index > 0 && compareMessages(messages[index - 1] as Message, message) > 0) index -= 1;
    const next = messages[index];
    messages.splice(index, 0, message);
    list.insertBefore(element, next === undefined ? null : (items.get(messageKey(next)) ?? null));
    items.set(key, element);
  };

  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;

  const loadOlder = async () => {
    if (olderCursor === null || loadingOlder) return;
    loadingOlder = true;
    try {
      const page = await api.get<MessagePage>(`${base}?order=desc&limit=${PAGE}&cursor=${encodeURIComponent(olderCursor)}`);
      const before = scroller.scrollHeight;
      for (const message of page.messages) place(message);
      // Keep what the agent was reading where it was.
      scroller.scrollTop += scroller.scrollHeight - before;
      olderCursor = page.nextCursor;
      older.hidden = olderCursor === null;
    } finally {
      loadingOlder = false;
    }
  };

  const refresh = async () => {
    const stick = nearBottom();
    const page = await api.get<MessagePage>(`${base}?order=desc&limit=${PAGE}`);
    const unseen = page.messages.every((message) => !items.has(messageKey(message)));
    if (messages.length > 0 && unseen && page.nextCursor !== null) {
      // More than a page arrived since the last look: start again from the newest page.
      messages.length = 0;
      items.clear();
      replaceChildren(list);
      olderCursor = page.nextCursor;
    }
    if (messages.length === 0) olderCursor = page.nextCursor;
    for (const message of page.messages) {
      const key = messageKey(message);
      const known = items.has(key) ? messages.find((candidate) => messageKey(candidate) === key) : undefined;
      if (known === undefined || JSON.stringify(known) !== JSON.stringify(message)) place(message);
    }
    older.hidden = olderCursor === null;
    window = page.window;
    onWindow(window);
    if (stick) scroller.scrollTop = scroller.scrollHeight;
  };

  // Whether the agent reads the newest messages: then an image that loads later keeps them in view.
  let followEnd = true;
  older.addEventListener('click', () => void loadOlder());
  scroller.addEventListener('scroll', () => {
    followEnd = nearBottom();
    if (scroller.scrollTop < 200) void loadOlder();
  });
  // `load` does not bubble: caught on the way down.
  list.addEventListener(
    'load',
    () => {
      if (followEnd) scroller.scrollTop = scroller.scrollHeight;
    },
    true,
  );
  await refresh();

  return {
    element: scroller,
    openid,
    window: () => window,
    refresh,
    shows: (mediaId) => messages.some((message) => message.direction === 'inbound' && (message.content.media_id === mediaId || message.content.thumb_media_id === mediaId)),
    scrollToEnd: () => {
      scroller.scrollTop = scroller.scrollHeight;
    },
    applyReply: (change) => {
      const index = messages.findIndex((message) => message.direction === 'outbound' && message.id === change.id);
      const known = messages[index];
      if (known === undefined) {
        void refresh();
        return;
      }
      place({ ...known, status: change.status, errcode: change.errcode, errmsg: change.errmsg });
    },
  };
}
