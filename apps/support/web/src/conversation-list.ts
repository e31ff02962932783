import type { Api } from './api.js';
import { h, replaceChildren } from './dom.js';
import { formatTime, type Lang, type Translate } from './i18n.js';
import { statusBadge } from './message-item.js';
import type { Conversation } from './model.js';
import { closingSoon, describeWindow } from './reply-window.js';

export type ListFilter = 'all' | 'unanswered' | 'closing';
const PAGE = 100;

export interface ConversationList {
  readonly element: HTMLElement;
  readonly reload: () => Promise<void>;
  /** The first page again, merged into what is loaded: activity re-orders the list. */
  readonly refresh: () => Promise<void>;
  readonly select: (openid: string | undefined) => void;
}

export interface ConversationListOptions {
  readonly api: Api;
  readonly app: string;
  readonly t: Translate;
  readonly lang: Lang;
  readonly onSelect: (openid: string) => void;
}

/** The API's one-line summary, in the page's language where it is a label rather than the user's words. */
function summaryOf(last: NonNullable<Conversation['lastMessage']>, t: Translate): string {
  if (last.type === 'image') return `[${t('image')}]`;
  if (last.type === 'event') return last.summary.includes('user_enter_tempsession') ? t('sessionEntry') : last.summary;
  if (last.type === 'miniprogrampage') return last.summary.replace(/^\[mini program\]/, `[${t('miniProgramCard')}]`);
  return last.summary;
}

const byActivity = (a: Conversation, b: Conversation) => Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt) || (a.openid < b.openid ? -1 : 1);

/**
 * The app's conversations, newest activity first, a page of 100 at a time as
 * the list is scrolled (the API's cursor), with the filters and the openid
 * search done by the API, so 1 000 conversations never load at once.
 */
export function createConversationList(options: ConversationListOptions): ConversationList {
  const { api, t, lang } = options;
  let filter: ListFilter = 'all';
  let search = '';
  let conversations: Conversation[] = [];
  let cursor: string | null = null;
  let selected: string | undefined;
  let loading = false;

  const filterButtons = (['all', 'unanswered', 'closing'] as const).map((value) =>
    h('button', { type: 'button', class: 'filter', 'data-filter': value, 'aria-pressed': value === filter ? 'true' : 'false' }, t(value)),
  );
  const searchBox = h('input', { type: 'search', class: 'search', placeholder: t('searchOpenid'), 'aria-label': t('searchOpenid') });
  const list = h('ul', { class: 'conversations' });
  const more = h('button', { type: 'button', class: 'load-more', hidden: true }, t('loadMore'));
  const scroller = h('div', { class: 'list-scroll' }, list, more);
  const element = h('section', { class: 'list-pane' }, h('div', { class: 'filters' }, ...filterButtons), searchBox, scroller);

  const query = (after: string | null) => {
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (filter !== 'all') params.set('filter', filter);
    if (search !== '') params.set('openid', search);
    if (after !== null) params.set('cursor', after);
    return `/api/v1/apps/${encodeURIComponent(options.app)}/conversations?${params.toString()}`;
  };

  const row = (conversation: Conversation) => {
    const now = Date.now();
    const last = conversation.lastMessage;
    return h(
      'li',
      {
        class: `conversation${conversation.openid === selected ? ' selected' : ''}${closingSoon(conversation.window, now) ? ' closing' : ''}`,
        'data-openid': conversation.openid,
        tabindex: 0,
        onclick: () => options.onSelect(conversation.openid),
        onkeydown: (event: Event) => {
          if ((event as KeyboardEvent).key === 'Enter') options.onSelect(conversation.openid);
        },
      },
      h('div', { class: 'row-top' }, h('span', { class: 'openid' }, conversation.openid), h('time', { datetime: conversation.lastActivityAt }, formatTime(conversation.lastActivityAt, lang))),
      h(
        'div',
        { class: 'preview' },
        // Our last reply shows its status too: a failed one answered nothing.
        last?.direction === 'outbound' && last.status !== 'sent' ? statusBadge({ status: last.status, errcode: null, errmsg: null }, t) : null,
        last === null ? '' : `${last.direction === 'outbound' ? '↩ ' : ''}${summaryOf(last, t)}`,
      ),
      h(
        'div',
        { class: 'row-bottom' },
        conversation.unansweredCount > 0 ? h('span', { class: 'badge unanswered-count' }, t('unansweredCount', { n: conversation.unansweredCount })) : null,
        h('span', { class: 'window' }, describeWindow(conversation.window, now, t, lang)),
      ),
    );
  };

  const render = () => {
    replaceChildren(list, ...(conversations.length === 0 && !loading ? [h('li', { class: 'empty' }, t('noConversations'))] : conversations.map(row)));
    more.hidden = cursor === null;
  };

  const loadMore = async () => {
    if (cursor === null || loading) return;
    loading = true;
    try {
      const page = await api.get<{ conversations: Conversation[]; nextCursor: string | null }>(query(cursor));
      const known = new Set(conversations.map((conversation) => conversation.openid));
      conversations = [...conversations, ...page.conversations.filter((conversation) => !known.has(conversation.openid))];
      cursor = page.nextCursor;
    } finally {
      loading = false;
      render();
    }
  };

  const reload = async () => {
    const page = await api.get<{ conversations: Conversation[]; nextCursor: string | null }>(query(null));
    conversations = page.conversations;
    cursor = page.nextCursor;
    render();
  };

  const refresh = async () => {
    const page = await api.get<{ conversations: Conversation[]; nextCursor: string | null }>(query(null));
    const fresh = new Map(page.conversations.map((conversation) => [conversation.openid, conversation]));
    // Rows that left the filter (answered, closed) go; everything else keeps its loaded page.
    const oldest = page.conversations.at(-1)?.lastActivityAt;
    conversations = [
      ...page.conversations,
      ...conversations.filter((conversation) => !fresh.has(conversation.openid) && (page.nextCursor !== null && oldest !== undefined ? Date.parse(conversation.lastActivityAt) <= Date.parse(oldest) : false)),
    ].sort(byActivity);
    if (cursor === null) cursor = page.nextCursor;
    render();
  };

  for (const button of filterButtons) {
    button.addEventListener('click', () => {
      filter = (button.dataset.filter as ListFilter | undefined) ?? 'all';
      for (const other of filterButtons) other.setAttribute('aria-pressed', other === button ? 'true' : 'false');
      void reload();
    });
  }
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  searchBox.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      const typed = searchBox.value.trim();
      // An openid holds only these: anything else matches nothing, and is not sent to the API.
      if (!/^[A-Za-z0-9_-]{0,64}$/.test(typed)) {
        conversations = [];
        cursor = null;
        render();
        return;
      }
      search = typed;
      void reload();
    }, 250);
  });
  more.addEventListener('click', () => void loadMore());
  scroller.addEventListener('scroll', () => {
    if (scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 300) void loadMore();
  });
  // Times left count down without a reload.
  const timer = setInterval(() => (element.isConnected ? render() : clearInterval(timer)), 30_000);

  return {
    element,
    reload,
    refresh,
    select: (openid) => {
      selected = openid;
      for (const item of list.querySelectorAll<HTMLElement>('li.conversation')) item.classList.toggle('selected', item.dataset.openid === openid);
    },
  };
}
