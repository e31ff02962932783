/**
 * What a caller should do about a failure, not which call failed:
 * - `transient`: network error, timeout, HTTP 5xx, `-1` system busy; retry with backoff.
 * - `token`: the access token was refused; refresh it and retry once (the client does this).
 * - `quota`: `45009`, the app's daily API quota is spent; retrying soon does not help, tell an operator.
 * - `window`: `45015`/`45047`, the user's reply window is closed or its count spent; retrying never helps.
 * - `permanent`: anything else (bad openid, missing permission, bad media, bad appid or secret…).
 */
export type WechatErrorKind = 'transient' | 'token' | 'quota' | 'window' | 'permanent';

const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 42001, 40014]);
const WINDOW_ERRCODES: ReadonlySet<number> = new Set([45015, 45047]);

export function classifyErrcode(errcode: number): WechatErrorKind {
  if (errcode === -1) return 'transient';
  if (TOKEN_ERRCODES.has(errcode)) return 'token';
  if (errcode === 45009) return 'quota';
  if (WINDOW_ERRCODES.has(errcode)) return 'window';
  return 'permanent';
}

// Anchored on the literal "rid:" and a bounded character class: linear in the input.
const RID_PATTERN = /rid:\s*([0-9A-Za-z-]{1,64})/;

/** The request id WeChat appends to `errmsg` ("… rid: 5f3ded7d-22929d02-4ba1f5f6"); WeChat support asks for it. */
export function parseRid(errmsg: string): string | undefined {
  return RID_PATTERN.exec(errmsg)?.[1];
}

export interface WechatApiErrorDetails {
  readonly kind: WechatErrorKind;
  /** WeChat's path, never the full URL: the URL carries the access token. */
  readonly path: string;
  /** WeChat's `errcode`; absent when WeChat never answered (network, timeout, HTTP status). */
  readonly errcode?: number;
  readonly errmsg: string;
  readonly status?: number;
  /**
   * True when the request may have reached WeChat and been acted on although
   * we got no answer to say so: a timeout or a connection lost after the
   * request went out, a gateway's 502/504, an answer that is not WeChat's.
   * False when it certainly did not (no connection, TLS refused) or when
   * WeChat itself answered with an errcode or a status. Only a `false` send
   * may be sent again without risking a second message. Defaults to false:
   * only the transport (http.ts) knows better.
   */
  readonly mayHaveArrived?: boolean;
  readonly cause?: unknown;
}

/** The one error this package throws. Its message and fields never carry the token or the secret. */
export class WechatApiError extends Error {
  override readonly name = 'WechatApiError';
  readonly kind: WechatErrorKind;
  readonly path: string;
  readonly errcode: number | undefined;
  readonly errmsg: string;
  readonly rid: string | undefined;
  readonly status: number | undefined;
  readonly mayHaveArrived: boolean;

  constructor(details: WechatApiErrorDetails) {
    const code = details.errcode === undefined ? '' : ` ${details.errcode}`;
    super(`WeChat ${details.path} failed (${details.kind}${code}): ${details.errmsg}`, { cause: details.cause });
    this.kind = details.kind;
    this.path = details.path;
    this.errcode = details.errcode;
    this.errmsg = details.errmsg;
    this.rid = parseRid(details.errmsg);
    this.status = details.status;
    this.mayHaveArrived = details.mayHaveArrived ?? false;
  }

  /** An error answer from WeChat (`{"errcode": N, "errmsg": "…"}`). */
  static fromAnswer(path: string, errcode: number, errmsg: string): WechatApiError {
    return new WechatApiError({ kind: classifyErrcode(errcode), path, errcode, errmsg });
  }
}

export function isWechatApiError(error: unknown): error is WechatApiError {
  return error instanceof WechatApiError;
}
