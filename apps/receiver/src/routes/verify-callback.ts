import { PayloadError, readEnvelope, verifyMsgSignature, verifyUrlSignature, type DataFormat } from '@wxcs/wechat';
import { BadRequestError, UnauthorizedError } from '../errors.js';

export interface VerifyCallbackInput {
  readonly token: string;
  /**
   * False unless the app runs in plaintext mode: `signature` does not cover
   * the body, so a replayed plaintext signature could carry any body.
   */
  readonly acceptsPlaintext: boolean;
  readonly body: string;
  readonly query: Readonly<Record<string, string>>;
  /** 0 disables the check. */
  readonly timestampToleranceSeconds: number;
  readonly nowSeconds: number;
}

export interface VerifiedCallback {
  readonly format: DataFormat;
  readonly encrypted: boolean;
}

function required(query: Readonly<Record<string, string>>, name: string): string {
  const value = query[name];
  if (value === undefined || value === '') throw new UnauthorizedError(`missing ${name}`);
  return value;
}

function isEncrypted(encryptType: string | undefined): boolean {
  // 'raw' is the legacy explicit spelling of plaintext.
  if (encryptType === undefined || encryptType === '' || encryptType === 'raw') return false;
  if (encryptType === 'aes') return true;
  throw new BadRequestError('unsupported encrypt_type');
}

function envelopeOf(body: string): ReturnType<typeof readEnvelope> {
  try {
    return readEnvelope(body);
  } catch (error) {
    if (error instanceof PayloadError) throw new BadRequestError(`malformed body (${error.code})`, { cause: error });
    throw error;
  }
}

function checkTimestamp(timestamp: string, toleranceSeconds: number, nowSeconds: number): void {
  if (toleranceSeconds === 0) return;
  const seconds = /^\d{1,15}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  if (!(Math.abs(nowSeconds - seconds) <= toleranceSeconds)) throw new UnauthorizedError('timestamp outside tolerance');
}

/**
 * Everything the request path checks before a callback may be queued, and
 * nothing more: no decryption. Plaintext callbacks are authenticated by
 * `signature` (which does not cover the body); encrypted ones
 * (`encrypt_type=aes`) by `msg_signature` over the body's Encrypt value,
 * the only signature that proves anything about the content. Missing or
 * wrong signature parameters are 401, a body that is not one well-formed
 * JSON or XML document is 400.
 */
export function verifyCallback(input: VerifyCallbackInput): VerifiedCallback {
  const { query, token } = input;
  const encrypted = isEncrypted(query.encrypt_type);
  const timestamp = required(query, 'timestamp');
  const nonce = required(query, 'nonce');
  if (!encrypted) {
    if (!input.acceptsPlaintext) throw new UnauthorizedError('encrypted callback required');
    const signature = required(query, 'signature');
    if (!verifyUrlSignature({ token, timestamp, nonce, signature })) throw new UnauthorizedError('bad signature');
    checkTimestamp(timestamp, input.timestampToleranceSeconds, input.nowSeconds);
    return { format: envelopeOf(input.body).format, encrypted };
  }
  const msgSignature = required(query, 'msg_signature');
  const envelope = envelopeOf(input.body);
  if (envelope.encrypt === undefined || envelope.encrypt === '') throw new BadRequestError('encrypt_type=aes but no Encrypt in body');
  if (!verifyMsgSignature({ token, timestamp, nonce, encrypt: envelope.encrypt, msgSignature })) {
    throw new UnauthorizedError('bad msg_signature');
  }
  checkTimestamp(timestamp, input.timestampToleranceSeconds, input.nowSeconds);
  return { format: envelope.format, encrypted };
}

/** GET URL verification: the echostr is echoed only for a valid `signature`. */
export function verifyUrl(token: string, query: Readonly<Record<string, string>>): string {
  const timestamp = required(query, 'timestamp');
  const nonce = required(query, 'nonce');
  const signature = required(query, 'signature');
  if (!verifyUrlSignature({ token, timestamp, nonce, signature })) throw new UnauthorizedError('bad signature');
  const echostr = query.echostr;
  if (echostr === undefined) throw new BadRequestError('missing echostr');
  return echostr;
}
