import type { ReplyChange } from './model.js';

export interface LiveHandlers {
  /** On every (re)connect: what happened while disconnected is reloaded, not replayed. */
  readonly connected: () => void;
  readonly disconnected: () => void;
  readonly conversation: (change: { openid: string; lastActivityAt: string }) => void;
  readonly reply: (change: ReplyChange) => void;
  readonly media: (change: { mediaId: string; status: string }) => void;
}

/** The app's server-sent events; the browser reconnects by itself. Answers a function that closes the stream. */
export function listen(app: string, handlers: LiveHandlers): () => void {
  const source = new EventSource(`/api/v1/apps/${encodeURIComponent(app)}/events`);
  source.addEventListener('open', () => handlers.connected());
  source.addEventListener('error', () => {
    handlers.disconnected();
    // Closed for good (a 401 after the session ended): the session check sends the page to sign-in.
    if (source.readyState === EventSource.CLOSED) window.location.reload();
  });
  source.addEventListener('conversation', (event) => handlers.conversation(JSON.parse((event as MessageEvent<string>).data) as { openid: string; lastActivityAt: string }));
  source.addEventListener('media', (event) => handlers.media(JSON.parse((event as MessageEvent<string>).data) as { mediaId: string; status: string }));
  source.addEventListener('reply', (event) => handlers.reply(JSON.parse((event as MessageEvent<string>).data) as ReplyChange));
  return () => source.close();
}
