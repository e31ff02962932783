import { h, replaceChildren } from './dom.js';
import type { Translate } from './i18n.js';

/** The sign-in form; on success the browser goes to the inbox with its new session cookie. */
export function renderSignIn(root: HTMLElement, t: Translate, languageToggle: HTMLElement): void {
  const name = h('input', { name: 'name', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const message = h('p', { class: 'form-error', role: 'alert' });
  const button = h('button', { type: 'submit' }, t('signIn'));
  const form = h(
    'form',
    { class: 'signin' },
    h('h1', {}, t('signInTitle')),
    h('label', {}, t('name'), name),
    h('label', {}, t('password'), password),
    button,
    message,
    languageToggle,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    message.textContent = '';
    void signIn(name.value, password.value)
      .then((error) => {
        if (error === undefined) {
          window.location.assign('/inbox');
          return;
        }
        message.textContent = error.code === 'account_locked' ? t('accountLocked', { s: error.retryAfter ?? 60 }) : error.code === 'sign_in_refused' ? t('signInRefused') : t('signInFailed', { error: error.code });
        password.value = '';
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  replaceChildren(root, h('main', { class: 'signin-page' }, form));
}

async function signIn(name: string, password: string): Promise<{ code: string; retryAfter?: number } | undefined> {
  const res = await fetch('/auth/signin', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  if (res.ok) return undefined;
  const body = (await res.json().catch(() => ({}))) as { error?: string; retryAfterSeconds?: number };
  return { code: body.error ?? String(res.status), retryAfter: body.retryAfterSeconds };
}
