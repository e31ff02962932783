import { authenticateCallback, type AuthenticatedCallback, type CallbackQuery, type MessageEncryption } from './authenticate-callback.js';
import { parseDocument } from './document.js';
import type { WechatFields } from './fields.js';
import type { DataFormat } from './format.js';
import { decryptMessage } from './message-crypto.js';

export interface AppCredentials {
  token: string;
  aesKey: Buffer;
  appId: string;
}

export interface OpenedCallback {
  format: DataFormat;
  mode: MessageEncryption;
  /** The trusted message: in encrypted modes, the decrypted document only. */
  fields: WechatFields;
  encrypt?: string;
}

/**
 * Authenticates (authenticateCallback) and opens a POST callback exactly as
 * the receiver saw it. In compatible mode the unauthenticated plaintext copy
 * is ignored: only the decrypted document is parsed and returned.
 */
export function openCallback(p: {
  body: string;
  query: CallbackQuery;
  app: AppCredentials;
  /** The app's configured mode, as for authenticateCallback. */
  encryption?: MessageEncryption;
}): OpenedCallback {
  const callback = authenticateCallback({ body: p.body, query: p.query, token: p.app.token, encryption: p.encryption });
  return openAuthenticated({ body: p.body, callback, app: p.app });
}

/**
 * Opens a callback authenticateCallback already accepted, for a caller that
 * authenticated it first (the receiver, before it queues the callback) and
 * must not pay for both signatures twice.
 */
export function openAuthenticated(p: { body: string; callback: AuthenticatedCallback; app: AppCredentials }): OpenedCallback {
  const { callback } = p;
  if (callback.encrypt === undefined) {
    return { format: callback.format, mode: callback.mode, fields: parseDocument(p.body).fields };
  }
  const plaintext = decryptMessage({ aesKey: p.app.aesKey, appId: p.app.appId, encrypt: callback.encrypt });
  const inner = parseDocument(plaintext, callback.format);
  return { format: callback.format, mode: callback.mode, fields: inner.fields, encrypt: callback.encrypt };
}
