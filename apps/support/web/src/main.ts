import { createApi, currentSession } from './api.js';
import { h, replaceChildren } from './dom.js';
import { initialLang, saveLang, translator, type Lang } from './i18n.js';
import { renderInbox } from './inbox-view.js';
import { renderSignIn } from './signin-view.js';

/** The page's entry: `/signin` shows the form, `/inbox` the inbox (the server sends a browser without a session to /signin). */
async function start(root: HTMLElement, lang: Lang): Promise<void> {
  const t = translator(lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('title');
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  const languageToggle = h('button', { type: 'button', class: 'language', lang: other === 'zh' ? 'zh-CN' : 'en' }, t('language'));
  languageToggle.addEventListener('click', () => {
    saveLang(other);
    // A fresh start in the other language: no second event stream, no half-translated view.
    window.location.reload();
  });
  const session = await currentSession();
  if (window.location.pathname.startsWith('/signin') || session === undefined) {
    if (session !== undefined) {
      window.location.replace('/inbox');
      return;
    }
    if (!window.location.pathname.startsWith('/signin')) window.location.replace('/signin');
    else renderSignIn(root, t, languageToggle);
    return;
  }
  const api = createApi(session.csrfToken);
  await renderInbox(root, {
    api,
    staff: session.name,
    t,
    lang,
    languageToggle,
    signOut: async () => {
      await fetch('/auth/signout', { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': session.csrfToken } });
      window.location.assign('/signin');
    },
  });
}

const root = document.getElementById('root');
if (root !== null) {
  start(root, initialLang()).catch((error: unknown) => {
    replaceChildren(root, h('p', { class: 'fatal', role: 'alert' }, translator(initialLang())('error', { error: String(error) })));
  });
}
