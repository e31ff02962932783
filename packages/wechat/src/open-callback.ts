import { parseDocument } from './document.js';
import { PayloadError, SignatureError } from './errors.js';
import { optionalText } from './fields.js';
import type { WechatFields } from './fields.js';
import type { DataFormat } from './format.js';
import { decryptMessage } from './message-crypto.js';
import { verifyMsgSignature, verifyUrlSignature } from './signature.js';

export type CallbackMode = 'plaintext' | 'compatible' | 'safe';

export interface AppCredentials {
  token: string;
  aesKey: Buffer;
  appId: string;
}

export interface CallbackQuery {
  signature?: string;
  timestamp?: string;
  nonce?: string;
  openid?: string;
  encrypt_type?: string;
  msg_signature?: string;
}

export interface OpenedCallback {
  format: DataFormat;
  mode: CallbackMode;
  /** The trusted message: in encrypted modes, the decrypted document only. */
  fields: WechatFields;
  encrypt?: string;
}

// In safe mode the outer document holds only these; anything else means compatible mode.
const SAFE_ENVELOPE_KEYS = new Set(['ToUserName', 'Encrypt']);

/**
 * Authenticates and opens a POST callback exactly as the receiver saw it.
 * Encrypted iff `encrypt_type=aes`; then `msg_signature` over Encrypt is the
 * only check that counts (plain `signature` never covers the body), and in
 * compatible mode the unauthenticated plaintext copy is ignored.
 */
export function openCallback(p: {
  body: string;
  query: CallbackQuery;
  app: AppCredentials;
}): OpenedCallback {
  return isEncrypted(p.query)
    ? openEncrypted(p.body, p.query, p.app)
    : openPlaintext(p.body, p.query, p.app);
}

function openPlaintext(body: string, query: CallbackQuery, app: AppCredentials): OpenedCallback {
  const signature = requireParam(query, 'signature');
  const timestamp = requireParam(query, 'timestamp');
  const nonce = requireParam(query, 'nonce');
  // Checked before parsing so unauthenticated bodies cost nothing more.
  if (!verifyUrlSignature({ token: app.token, timestamp, nonce, signature })) {
    throw new SignatureError('bad_signature', 'signature does not match token/timestamp/nonce');
  }
  const { format, fields } = parseDocument(body);
  return { format, mode: 'plaintext', fields };
}

function openEncrypted(body: string, query: CallbackQuery, app: AppCredentials): OpenedCallback {
  const msgSignature = requireParam(query, 'msg_signature');
  const timestamp = requireParam(query, 'timestamp');
  const nonce = requireParam(query, 'nonce');
  const outer = parseDocument(body);
  const encrypt = optionalText(outer.fields, 'Encrypt');
  if (encrypt === undefined || encrypt === '') {
    throw new PayloadError('missing_encrypt', 'encrypt_type=aes but the body has no Encrypt value');
  }
  // Signature before decryption: padding and length errors are then only
  // reachable with the token, so they cannot serve as a decryption oracle.
  if (!verifyMsgSignature({ token: app.token, timestamp, nonce, encrypt, msgSignature })) {
    throw new SignatureError('bad_msg_signature', 'msg_signature does not match Encrypt');
  }
  const plaintext = decryptMessage({ aesKey: app.aesKey, appId: app.appId, encrypt });
  const inner = parseDocument(plaintext, outer.format);
  const compatible = Object.keys(outer.fields).some((key) => !SAFE_ENVELOPE_KEYS.has(key));
  return {
    format: outer.format,
    mode: compatible ? 'compatible' : 'safe',
    fields: inner.fields,
    encrypt,
  };
}

function isEncrypted(query: CallbackQuery): boolean {
  const encryptType = paramValue(query.encrypt_type);
  // 'raw' is the legacy explicit spelling of plaintext.
  if (encryptType === undefined || encryptType === '' || encryptType === 'raw') return false;
  if (encryptType === 'aes') return true;
  throw new PayloadError('unsupported_encrypt_type', 'encrypt_type must be "aes" when present');
}

function requireParam(query: CallbackQuery, name: keyof CallbackQuery): string {
  const value = paramValue(query[name]);
  if (value === undefined || value === '') {
    throw new SignatureError('missing_signature', `query parameter ${name} is missing`);
  }
  return value;
}

// Frameworks turn repeated parameters into arrays; only a single string counts.
function paramValue(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
