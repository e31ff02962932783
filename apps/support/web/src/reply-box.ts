import { HttpError, type Api } from './api.js';
import { h } from './dom.js';
import type { Lang, MessageKey, Translate } from './i18n.js';
import type { ReplyWindow } from './model.js';
import { describeWindow, refusalReason } from './reply-window.js';

/** The API's refusals that the page can say in the agent's language: the window's, checked on the server too. */
const KNOWN_REFUSALS: Readonly<Record<string, MessageKey>> = {
  reply_window_closed: 'reasonClosed',
  reply_quota_spent: 'reasonSpent',
  app_inbound_only: 'reasonInboundOnly',
};

/** WeChat shows "typing" for 15 s; telling it again every 10 s while the agent types keeps it on without flooding. */
const TYPING_EVERY_MS = 10_000;

export interface ReplyBox {
  readonly element: HTMLElement;
  readonly setWindow: (window: ReplyWindow | null) => void;
}

export interface ReplyBoxOptions {
  readonly api: Api;
  readonly app: string;
  readonly openid: string;
  readonly canReply: boolean;
  readonly t: Translate;
  readonly lang: Lang;
  /** After a reply was queued or refused: the thread loads it (and the window) again. */
  readonly onSent: () => void;
}

/**
 * Text and image replies. Sending is disabled, with WeChat's reason, while
 * the window would refuse it; the server decides in the end (409 with the
 * reason), and its answer is shown the same way.
 */
export function createReplyBox(options: ReplyBoxOptions): ReplyBox {
  const { api, t, lang } = options;
  const base = `/api/v1/apps/${encodeURIComponent(options.app)}`;
  const conversation = `${base}/conversations/${encodeURIComponent(options.openid)}`;
  const windowLine = h('p', { class: 'window-line' });
  const reason = h('p', { class: 'refusal', role: 'status' });
  const text = h('textarea', { name: 'reply', rows: 3, placeholder: t('replyPlaceholder'), maxlength: 2048 });
  const send = h('button', { type: 'submit', class: 'send' }, t('send'));
  const file = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/gif', class: 'image-input', 'aria-label': t('sendImage') });
  const imageButton = h('button', { type: 'button', class: 'send-image' }, t('sendImage'));
  const form = h('form', { class: 'reply-box' }, windowLine, reason, text, h('div', { class: 'reply-actions' }, file, imageButton, send));
  const refusalText = (error: unknown) => {
    const known = error instanceof HttpError ? KNOWN_REFUSALS[error.code] : undefined;
    return t('refusedBy', { reason: known === undefined ? (error instanceof HttpError ? error.code : String(error)) : t(known) });
  };
  let window: ReplyWindow | null = null;
  let busy = false;
  let lastTyping = 0;
  /** The server's last refusal, shown until the next send: it may know what the page does not (another agent spent the window). */
  let lastError = '';

  const update = () => {
    const now = Date.now();
    windowLine.textContent = describeWindow(window, now, t, lang);
    const refusal = refusalReason(window, options.canReply, now);
    reason.textContent = refusal === undefined ? lastError : t(refusal);
    const disabled = refusal !== undefined || busy;
    for (const control of [text, send, file, imageButton]) control.disabled = disabled;
  };

  const submit = async (body: unknown) => {
    busy = true;
    lastError = '';
    update();
    try {
      await api.post(`${conversation}/replies`, body);
      text.value = '';
    } catch (error) {
      lastError = refusalText(error);
      throw error;
    } finally {
      busy = false;
      options.onSent();
      update();
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const content = text.value.trim();
    if (content === '') return;
    submit({ msgtype: 'text', text: { content } }).catch(() => undefined);
  });
  text.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  text.addEventListener('input', () => {
    const now = Date.now();
    if (now - lastTyping < TYPING_EVERY_MS || text.value === '') return;
    lastTyping = now;
    // A courtesy: WeChat refuses it outside 30 s of the last exchange (45080), which changes nothing here.
    api.post(`${conversation}/typing`, { typing: true }).catch(() => undefined);
  });
  imageButton.addEventListener('click', () => {
    const chosen = file.files?.[0];
    if (chosen === undefined) {
      file.click();
      return;
    }
    void sendImage(chosen);
  });
  file.addEventListener('change', () => {
    const chosen = file.files?.[0];
    if (chosen !== undefined) void sendImage(chosen);
  });

  const sendImage = async (chosen: File) => {
    busy = true;
    lastError = '';
    windowLine.textContent = t('uploading');
    try {
      const form = new FormData();
      form.append('media', chosen);
      const uploaded = await api.upload<{ media_id: string }>(`${base}/media`, form);
      busy = false;
      await submit({ msgtype: 'image', image: { media_id: uploaded.media_id } });
    } catch (error) {
      lastError ||= refusalText(error);
    } finally {
      busy = false;
      file.value = '';
      update();
    }
  };

  // The window closes by itself as time passes.
  const timer = setInterval(() => {
    if (!form.isConnected) clearInterval(timer);
    else if (!busy) update();
  }, 15_000);
  update();
  return {
    element: form,
    setWindow: (next) => {
      window = next;
      update();
    },
  };
}
