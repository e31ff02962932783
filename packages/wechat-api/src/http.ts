import { WechatApiError } from './errors.js';

/** The platform `fetch`, injected so tests and callers choose the transport. */
export type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface HttpDeps {
  readonly baseUrl: string;
  readonly fetch: Fetch;
  readonly timeoutMs: number;
}

export interface RawAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly contentDisposition: string | null;
  readonly bytes: Uint8Array;
}

export interface WechatRequest {
  readonly method: 'GET' | 'POST';
  readonly query?: Record<string, string>;
  readonly body?: string | FormData;
  readonly headers?: Record<string, string>;
}

/** An answer whose body is still arriving: read it once, under the exchange's deadline. */
export interface StreamedAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly contentDisposition: string | null;
  /** The declared length, when the answer declares one. */
  readonly contentLength: number | undefined;
  /** Fails with a `transient` WechatApiError when the connection or the deadline ends mid-body. */
  readonly body: AsyncIterable<Uint8Array>;
}

/**
 * One exchange with WeChat, up to the answer's headers; the body follows as
 * it arrives, under the same deadline. Network errors, timeouts and HTTP 5xx
 * become `transient` errors; nothing is retried here (the queue owns
 * retries). Each error says whether the request may have reached WeChat
 * (`mayHaveArrived`), which decides whether a send may be repeated.
 */
export async function openExchange(deps: HttpDeps, path: string, request: WechatRequest): Promise<StreamedAnswer> {
  const url = new URL(path, deps.baseUrl.endsWith('/') ? deps.baseUrl : `${deps.baseUrl}/`);
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
  let response: Response;
  try {
    response = await deps.fetch(url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
  } catch (error) {
    throw transportError(deps, path, error);
  }
  if (response.status >= 400) {
    await response.body?.cancel().catch(() => undefined);
    if (response.status < 500) throw new WechatApiError({ kind: 'permanent', path, status: response.status, errmsg: `HTTP ${response.status}` });
    const mayHaveArrived = GATEWAY_STATUSES.has(response.status);
    throw new WechatApiError({ kind: 'transient', path, status: response.status, errmsg: `HTTP ${response.status}`, mayHaveArrived });
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    contentDisposition: response.headers.get('content-disposition'),
    contentLength: Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined,
    body: bodyOf(response, deps, path),
  };
}

async function* bodyOf(response: Response, deps: HttpDeps, path: string): AsyncGenerator<Uint8Array> {
  if (response.body === null) return;
  try {
    for await (const chunk of response.body) yield chunk;
  } catch (error) {
    throw transportError(deps, path, error);
  }
}

/** One exchange with WeChat, body included, under one deadline (see openExchange). */
export async function exchange(deps: HttpDeps, path: string, request: WechatRequest): Promise<RawAnswer> {
  const answer = await openExchange(deps, path, request);
  const chunks: Uint8Array[] = [];
  for await (const chunk of answer.body) chunks.push(chunk);
  return { status: answer.status, contentType: answer.contentType, contentDisposition: answer.contentDisposition, bytes: Buffer.concat(chunks) };
}

function transportError(deps: HttpDeps, path: string, error: unknown): WechatApiError {
  if (error instanceof WechatApiError) return error;
  const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
  // The cause is kept for diagnosis; the URL (which carries the token) is never put in the message.
  return new WechatApiError({
    kind: 'transient',
    path,
    errmsg: timedOut ? `no answer within ${deps.timeoutMs} ms` : 'network error',
    // A timeout cannot tell a connection never made from an answer never sent.
    mayHaveArrived: timedOut || !failedBeforeSending(error),
    cause: error,
  });
}

/**
 * A gateway's "bad gateway" and "gateway timeout" speak for a server behind
 * it that may have taken the request; any other status is the answering
 * server's own refusal.
 */
const GATEWAY_STATUSES: ReadonlySet<number> = new Set([502, 504]);

/**
 * Errors of the connection's set-up: name resolution, connecting, TLS. With
 * one of these not a byte of the request was sent. Anything else (a reset, a
 * socket closed mid-exchange, an unknown code) may come after WeChat read it.
 */
const BEFORE_SENDING_CODES: ReadonlySet<string> = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Whether a failed fetch certainly never sent the request. fetch wraps the
 * socket's error as its `cause` (`TypeError: fetch failed`); a connection
 * tried on several addresses fails with an AggregateError of one error per
 * address. Every code found must be a set-up code, and at least one found.
 */
export function failedBeforeSending(error: unknown): boolean {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): void => {
    if (typeof value !== 'object' || value === null || seen.has(value) || depth > 5) return;
    seen.add(value);
    const { code, cause, errors } = value as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') codes.push(code);
    visit(cause, depth + 1);
    if (Array.isArray(errors)) for (const inner of errors) visit(inner, depth + 1);
  };
  visit(error, 0);
  return codes.length > 0 && codes.every((code) => BEFORE_SENDING_CODES.has(code));
}

/** WeChat's answer as JSON, or the error it carries: `errcode` other than 0 is an error whatever the HTTP status. */
export function readJsonAnswer(path: string, answer: RawAnswer): Record<string, unknown> {
  const parsed = tryParseObject(answer.bytes);
  if (!parsed) {
    // A 200 that is not JSON comes from something between us and WeChat (a proxy page), not from WeChat.
    // Nothing says whether it passed the request on, so the request may have arrived.
    throw new WechatApiError({ kind: 'transient', path, status: answer.status, errmsg: 'answer is not JSON', mayHaveArrived: true });
  }
  if (typeof parsed.errcode === 'number' && parsed.errcode !== 0) {
    throw WechatApiError.fromAnswer(path, parsed.errcode, typeof parsed.errmsg === 'string' ? parsed.errmsg : '');
  }
  return parsed;
}

const OPEN_BRACE = 0x7b;
// An error answer is a few hundred bytes; a media file never starts with "{".
export const ERROR_BODY_LIMIT = 64 * 1024;

function tryParseObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A body that is a JSON object with a numeric `errcode`, decided by the body itself, not the status or content type. */
export function parseErrorBody(bytes: Uint8Array): Record<string, unknown> | undefined {
  let start = 0;
  while (start < bytes.length && start < 16 && (bytes[start] === 0x20 || bytes[start] === 0x0a || bytes[start] === 0x0d || bytes[start] === 0x09)) start += 1;
  if (bytes[start] !== OPEN_BRACE || bytes.length > ERROR_BODY_LIMIT) return undefined;
  const parsed = tryParseObject(bytes);
  return parsed && typeof parsed.errcode === 'number' ? parsed : undefined;
}
