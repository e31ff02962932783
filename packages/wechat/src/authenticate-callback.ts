import { readEnvelope } from './envelope.js';
import { PayloadError, SignatureError } from './errors.js';
import type { DataFormat } from './format.js';
import { PAD_BLOCK_BYTES } from './pkcs7.js';
import { verifyMsgSignature, verifyUrlSignature } from './signature.js';
import { isBase64OfBlocks } from './strict-base64.js';

/**
 * The console's 消息加密方式. As an app's setting it says which callbacks to
 * accept; as a callback's property, how that one was sent.
 */
export const MESSAGE_ENCRYPTIONS = ['safe', 'compatible', 'plaintext'] as const;
export type MessageEncryption = (typeof MESSAGE_ENCRYPTIONS)[number];

export interface CallbackQuery {
  signature?: string;
  timestamp?: string;
  nonce?: string;
  openid?: string;
  encrypt_type?: string;
  msg_signature?: string;
}

export interface AuthenticateCallbackInput {
  readonly body: string;
  readonly query: CallbackQuery;
  readonly token: string;
  /**
   * The app's configured mode. Unless it is `plaintext`, an unencrypted
   * callback is refused (its `signature` does not cover the body, so a replayed
   * one could carry any body); in `safe`, an envelope may hold nothing but
   * ToUserName and Encrypt. Omitted, every mode is accepted and the caller
   * decides on `mode`.
   */
  readonly encryption?: MessageEncryption;
}

export interface AuthenticatedCallback {
  readonly format: DataFormat;
  /** How this callback was sent. */
  readonly mode: MessageEncryption;
  /** The ciphertext `msg_signature` vouches for; absent in plaintext mode. */
  readonly encrypt?: string;
}

/**
 * Everything that decides whether a POST callback comes from WeChat, without
 * decrypting it. Encrypted iff `encrypt_type=aes`: then both signatures are
 * checked (WeChat always sends both; a wrong `signature` means tampering or a
 * broken proxy), and `msg_signature` over the Encrypt value is what vouches
 * for the content. Plaintext callbacks have only `signature`, which covers
 * no part of the body. The body is only read by readEnvelope, linear in its
 * size, and only after the checks that need no body. Missing or wrong
 * signature parameters are SignatureErrors; a body or encrypt_type that
 * cannot be a callback is a PayloadError.
 */
export function authenticateCallback(input: AuthenticateCallbackInput): AuthenticatedCallback {
  return isEncrypted(input.query) ? authenticateEncrypted(input) : authenticatePlaintext(input);
}

function authenticatePlaintext({ body, query, token, encryption }: AuthenticateCallbackInput): AuthenticatedCallback {
  if (encryption !== undefined && encryption !== 'plaintext') {
    throw new SignatureError('encryption_required', 'encrypted callback required');
  }
  const signature = requireParam(query, 'signature');
  const timestamp = requireParam(query, 'timestamp');
  const nonce = requireParam(query, 'nonce');
  if (!verifyUrlSignature({ token, timestamp, nonce, signature })) {
    throw new SignatureError('bad_signature', 'bad signature');
  }
  return { format: readEnvelope(body).format, mode: 'plaintext' };
}

function authenticateEncrypted({ body, query, token, encryption }: AuthenticateCallbackInput): AuthenticatedCallback {
  const msgSignature = requireParam(query, 'msg_signature');
  const signature = requireParam(query, 'signature');
  const timestamp = requireParam(query, 'timestamp');
  const nonce = requireParam(query, 'nonce');
  if (!verifyUrlSignature({ token, timestamp, nonce, signature })) {
    throw new SignatureError('bad_signature', 'bad signature');
  }
  const envelope = readEnvelope(body);
  const { encrypt } = envelope;
  if (encrypt === undefined || encrypt === '') {
    throw new PayloadError('missing_encrypt', 'encrypt_type=aes but the body has no Encrypt value');
  }
  // msg_signature covers Encrypt alone: whatever sits beside it is the sender's choice.
  if (encryption === 'safe' && envelope.otherFields > 0) {
    throw new PayloadError('unexpected_field', 'a safe-mode envelope holds only ToUserName and Encrypt');
  }
  // Verified before anything is decrypted: padding and length errors are then only
  // reachable with the token, so they cannot serve as a decryption oracle.
  if (!verifyMsgSignature({ token, timestamp, nonce, encrypt, msgSignature })) {
    throw new SignatureError('bad_msg_signature', 'bad msg_signature');
  }
  // Signed, yet no ciphertext WeChat could have written: refused before it is queued.
  if (!isBase64OfBlocks(encrypt, PAD_BLOCK_BYTES)) {
    throw new PayloadError('bad_encrypt', 'Encrypt is not base64 of whole 32-byte blocks');
  }
  return { format: envelope.format, mode: envelope.otherFields > 0 ? 'compatible' : 'safe', encrypt };
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
  if (value === undefined || value === '') throw new SignatureError('missing_signature', `missing ${name}`);
  return value;
}

// Frameworks turn repeated parameters into arrays; only a single string counts.
function paramValue(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
