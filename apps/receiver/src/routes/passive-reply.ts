import { buildTransferReply, isTransferable, normalizeMessage, openAuthenticated, sealReply } from '@wxcs/wechat';
import type { AuthenticatedCallback, DirectoryApp } from '@wxcs/wechat';

export interface PassiveReply {
  readonly body: string;
  readonly contentType: string;
}

/**
 * `transfer_customer_service` for a user message, in the app's format and,
 * in encrypted modes, sealed. `undefined` for events (WeChat ignores a
 * transfer there): those are answered `success`. Throws on anything it
 * cannot decrypt or parse; the caller then answers `success` as well, since
 * the callback is already queued and the worker will report the problem.
 */
export function buildPassiveReply(p: {
  app: DirectoryApp;
  body: string;
  /** What verifyCallback accepted: it is opened, not authenticated again. */
  authenticated: AuthenticatedCallback;
  /** The nonce a sealed reply echoes. */
  nonce: string;
  now: Date;
}): PassiveReply | undefined {
  const opened = openAuthenticated({ body: p.body, callback: p.authenticated, app: p.app.credentials });
  const message = normalizeMessage(opened.fields);
  if (!isTransferable(message)) return undefined;
  const reply = buildTransferReply({ message, format: opened.format, now: p.now });
  const sealed =
    opened.mode === 'plaintext'
      ? reply
      : sealReply({
          app: p.app.credentials,
          format: opened.format,
          reply,
          nonce: p.nonce,
          timestamp: String(Math.floor(p.now.getTime() / 1000)),
        });
  return {
    body: sealed,
    contentType: opened.format === 'json' ? 'application/json; charset=utf-8' : 'text/xml; charset=utf-8',
  };
}
