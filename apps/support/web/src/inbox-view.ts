import type { Api } from './api.js';
import { createConversationList, type ConversationList } from './conversation-list.js';
import { h, replaceChildren } from './dom.js';
import type { Lang, Translate } from './i18n.js';
import { listen } from './live.js';
import { createReplyBox } from './reply-box.js';
import { openThread, type Thread } from './thread-view.js';

export interface InboxOptions {
  readonly api: Api;
  readonly staff: string;
  readonly t: Translate;
  readonly lang: Lang;
  readonly languageToggle: HTMLElement;
  readonly signOut: () => Promise<void>;
}

interface AppInfo {
  readonly name: string;
  readonly canReply: boolean;
}

/** Where the agent is: `/inbox?app=…&openid=…`, so a reload or a shared link opens the same thread. */
function location(): { app: string | undefined; openid: string | undefined } {
  const params = new URLSearchParams(window.location.search);
  return { app: params.get('app') ?? undefined, openid: params.get('openid') ?? undefined };
}

/** The inbox: the app's conversation list on the left, the open thread and its reply box on the right, kept live. */
export async function renderInbox(root: HTMLElement, options: InboxOptions): Promise<void> {
  const { api, t, lang } = options;
  const { apps } = await api.get<{ apps: AppInfo[] }>('/api/v1/apps');
  const wanted = location();
  let app = apps.find((candidate) => candidate.name === wanted.app) ?? apps[0];
  if (app === undefined) return;

  const appSelect = h('select', { class: 'app-select', 'aria-label': t('miniProgram') }, ...apps.map((candidate) => h('option', { value: candidate.name }, candidate.name)));
  const liveState = h('span', { class: 'live-state', 'data-live': 'false' }, t('offline'));
  const signOut = h('button', { type: 'button', class: 'sign-out' }, t('signOut'));
  const header = h('header', { class: 'top' }, h('h1', {}, t('title')), appSelect, liveState, h('span', { class: 'staff' }, options.staff), options.languageToggle, signOut);
  const threadPane = h('section', { class: 'thread-pane' }, h('p', { class: 'placeholder' }, t('pickConversation')));
  const listSlot = h('div', { class: 'list-slot' });
  replaceChildren(root, h('div', { class: 'inbox' }, header, h('main', { class: 'panes' }, listSlot, threadPane)));

  let list: ConversationList;
  let thread: Thread | undefined;
  let closeLive = () => undefined as void;
  let refreshQueued = false;
  /** The latest thread asked for: one that finishes loading after the agent moved on is dropped. */
  let opening = 0;

  // Bursts of events cost one reload of each view.
  const refreshSoon = (withThread: boolean) => {
    if (refreshQueued) return;
    refreshQueued = true;
    setTimeout(() => {
      refreshQueued = false;
      void list.refresh();
      if (withThread) void thread?.refresh();
    }, 300);
  };

  const openConversation = async (openid: string) => {
    const current = app as AppInfo;
    const ticket = ++opening;
    list.select(openid);
    history.replaceState(null, '', `/inbox?${new URLSearchParams({ app: current.name, openid }).toString()}`);
    const box = createReplyBox({ api, app: current.name, openid, canReply: current.canReply, t, lang, onSent: () => void thread?.refresh() });
    const opened = await openThread(api, { app: current.name, t, lang }, openid, (window) => box.setWindow(window));
    if (ticket !== opening) return;
    thread = opened;
    box.setWindow(opened.window());
    replaceChildren(threadPane, h('h2', { class: 'thread-title' }, openid), opened.element, box.element);
    opened.scrollToEnd();
  };

  const showApp = async (chosen: AppInfo, openid: string | undefined) => {
    app = chosen;
    appSelect.value = chosen.name;
    closeLive();
    opening += 1;
    thread = undefined;
    replaceChildren(threadPane, h('p', { class: 'placeholder' }, t('pickConversation')));
    list = createConversationList({ api, app: chosen.name, t, lang, onSelect: (selected) => void openConversation(selected) });
    replaceChildren(listSlot, list.element);
    await list.reload();
    if (openid !== undefined) await openConversation(openid);
    closeLive = listen(chosen.name, {
      connected: () => {
        liveState.textContent = t('live');
        liveState.dataset.live = 'true';
        refreshSoon(true);
      },
      disconnected: () => {
        liveState.textContent = t('offline');
        liveState.dataset.live = 'false';
      },
      conversation: (change) => refreshSoon(change.openid === thread?.openid),
      media: (change) => {
        if (thread?.shows(change.mediaId)) void thread.refresh();
      },
      reply: (change) => {
        if (change.openid === thread?.openid) thread.applyReply(change);
        refreshSoon(false);
      },
    });
  };

  appSelect.addEventListener('change', () => {
    const chosen = apps.find((candidate) => candidate.name === appSelect.value);
    if (chosen !== undefined) {
      history.replaceState(null, '', `/inbox?${new URLSearchParams({ app: chosen.name }).toString()}`);
      void showApp(chosen, undefined);
    }
  });
  signOut.addEventListener('click', () => {
    closeLive();
    void options.signOut();
  });
  await showApp(app, wanted.app === app.name ? wanted.openid : undefined);
}
