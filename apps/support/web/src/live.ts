import type { ReplyChange } from './model.js';

export interface LiveHandlers {
  /** On every (re)connect: what happened while disconnected is reloaded, not replayed. */
  readonly connected: () => void;
  readonly disconnected: () => void;
  readonly conversation: (change: { openid: string; lastActivityAt: string }) => void;
  readonly reply: (change: ReplyChange) => void;
  readonly media: (change: { mediaId: string; status: string }) => void;
}

/** How long to wait before opening a stream again that the server refused (a proxy's 502, a restart). */
const REOPEN_AFTER_MS = 5_000;

/**
 * The app's server-sent events. The browser reconnects a dropped stream by
 * itself; one the server answered with an error is closed for good, so it is
 * opened again here, unless the session has ended (then: sign-in). Answers
 * a function that stops listening.
 */
export function listen(app: string, handlers: LiveHandlers): () => void {
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const parse = <T>(event: Event) => JSON.parse((event as MessageEvent<string>).data) as T;

  const open = () => {
    const current = new EventSource(`/api/v1/apps/${encodeURIComponent(app)}/events`);
    source = current;
    current.addEventListener('open', () => handlers.connected());
    current.addEventListener('conversation', (event) => handlers.conversation(parse(event)));
    current.addEventListener('reply', (event) => handlers.reply(parse(event)));
    current.addEventListener('media', (event) => handlers.media(parse(event)));
    current.addEventListener('error', () => {
      handlers.disconnected();
      if (current.readyState !== EventSource.CLOSED || stopped) return;
      void fetch('/auth/session', { credentials: 'same-origin' })
        .then((res) => {
          if (res.status === 401) window.location.assign('/signin');
        })
        .catch(() => undefined)
        .finally(() => {
          if (!stopped) timer = setTimeout(open, REOPEN_AFTER_MS);
        });
    });
  };

  open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
  };
}
