import {
  authenticateCallback,
  PayloadError,
  SignatureError,
  verifyUrlSignature,
  type AuthenticatedCallback,
  type MessageEncryption,
} from '@wxcs/wechat';
import { BadRequestError, UnauthorizedError } from '../errors.js';

export interface VerifyCallbackInput {
  readonly token: string;
  /** The app's configured mode: which callbacks it accepts (see authenticateCallback). */
  readonly encryption: MessageEncryption;
  readonly body: string;
  readonly query: Readonly<Record<string, string>>;
  /** 0 disables the check. */
  readonly timestampToleranceSeconds: number;
  readonly nowSeconds: number;
}

function required(query: Readonly<Record<string, string>>, name: string): string {
  const value = query[name];
  if (value === undefined || value === '') throw new UnauthorizedError(`missing ${name}`);
  return value;
}

/**
 * A SignatureError is 401 (the caller is not WeChat), a PayloadError 400. A
 * SignatureError's message names at most a parameter, so it is the reason; a
 * PayloadError's may quote the body, so only its code is shown.
 */
function refusal(error: unknown): unknown {
  if (error instanceof SignatureError) return new UnauthorizedError(error.message, { cause: error });
  if (error instanceof PayloadError) {
    const reason = error.code === 'unsupported_encrypt_type' ? 'unsupported encrypt_type' : `malformed body (${error.code})`;
    return new BadRequestError(reason, { cause: error });
  }
  return error;
}

function checkTimestamp(timestamp: string, toleranceSeconds: number, nowSeconds: number): void {
  if (toleranceSeconds === 0) return;
  const seconds = /^\d{1,15}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  if (!(Math.abs(nowSeconds - seconds) <= toleranceSeconds)) throw new UnauthorizedError('timestamp outside tolerance');
}

/**
 * Everything the request path checks before a callback may be queued, and
 * nothing more: @wxcs/wechat's authenticateCallback (both signatures, the
 * envelope read in one linear pass, the app's mode), then this receiver's
 * own timestamp tolerance. No decryption.
 */
export function verifyCallback(input: VerifyCallbackInput): AuthenticatedCallback {
  let authenticated: AuthenticatedCallback;
  try {
    authenticated = authenticateCallback({ body: input.body, query: input.query, token: input.token, encryption: input.encryption });
  } catch (error) {
    throw refusal(error);
  }
  checkTimestamp(input.query.timestamp ?? '', input.timestampToleranceSeconds, input.nowSeconds);
  return authenticated;
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
