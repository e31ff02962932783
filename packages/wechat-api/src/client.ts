import { WechatApiError } from './errors.js';
import { exchange, openExchange, readJsonAnswer, type Fetch, type HttpDeps } from './http.js';
import { MEDIA_GET_PATH, readMediaAnswer } from './media-download.js';
import { STABLE_TOKEN_PATH } from './stable-token.js';
import type { TokenStore } from './token-store.js';
import type { MediaDownload, OutboundMessage, UploadedMedia, WechatApp } from './types.js';

export const SEND_PATH = '/cgi-bin/message/custom/send';
// The mini-program path; older pages show /cgi-bin/message/custom/typing.
export const TYPING_PATH = '/cgi-bin/message/custom/business/typing';
export const UPLOAD_PATH = '/cgi-bin/media/upload';

export interface WechatApiClientOptions {
  /** `https://api.weixin.qq.com` in production; the fake's URL in tests. */
  readonly baseUrl: string;
  readonly fetch: Fetch;
  readonly tokens: TokenStore;
  /** Deadline of one HTTP exchange, body included. */
  readonly timeoutMs: number;
}

export interface WechatApiClient {
  readonly sendMessage: (app: WechatApp, message: OutboundMessage) => Promise<void>;
  readonly setTyping: (app: WechatApp, openid: string, typing: boolean) => Promise<void>;
  readonly uploadImage: (app: WechatApp, image: { bytes: Uint8Array; filename: string; contentType: string }) => Promise<UploadedMedia>;
  /**
   * The file a user sent, as it arrives; a JSON error body is thrown as a
   * WechatApiError even with HTTP 200. The body must be read to its end (or
   * given up) before the exchange's deadline.
   */
  readonly downloadMedia: (app: WechatApp, mediaId: string) => Promise<MediaDownload>;
}

/**
 * A token comes before a call or after WeChat refused one, so whatever fails
 * here (Redis included) failed with no request of the call in flight.
 */
async function fromStore(read: () => Promise<string>): Promise<string> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof WechatApiError) throw error;
    throw new WechatApiError({ kind: 'transient', path: STABLE_TOKEN_PATH, errmsg: 'token store unavailable', mayHaveArrived: false, cause: error });
  }
}

export function createWechatApiClient(options: WechatApiClientOptions): WechatApiClient {
  const http: HttpDeps = { baseUrl: options.baseUrl, fetch: options.fetch, timeoutMs: options.timeoutMs };
  const { tokens } = options;

  /**
   * Runs a call with the shared token; on a token error, retries it once with
   * a fresh token. The only retry in this client: the rest is the queue's.
   */
  async function withToken<T>(app: WechatApp, call: (accessToken: string) => Promise<T>): Promise<T> {
    const accessToken = await fromStore(() => tokens.get(app));
    try {
      return await call(accessToken);
    } catch (error) {
      if (!(error instanceof WechatApiError) || error.kind !== 'token') throw error;
      return call(await fromStore(() => tokens.refreshAfterTokenError(app, accessToken)));
    }
  }

  async function postJson(path: string, accessToken: string, body: unknown): Promise<Record<string, unknown>> {
    const answer = await exchange(http, path, {
      method: 'POST',
      query: { access_token: accessToken },
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return readJsonAnswer(path, answer);
  }

  return {
    sendMessage: async (app, message) => {
      await withToken(app, (accessToken) => postJson(SEND_PATH, accessToken, message));
    },

    setTyping: async (app, openid, typing) => {
      const command = typing ? 'Typing' : 'CancelTyping';
      await withToken(app, (accessToken) => postJson(TYPING_PATH, accessToken, { touser: openid, command }));
    },

    uploadImage: (app, image) =>
      withToken(app, async (accessToken) => {
        const form = new FormData();
        form.append('media', new Blob([image.bytes], { type: image.contentType }), image.filename);
        const answer = await exchange(http, UPLOAD_PATH, { method: 'POST', query: { access_token: accessToken, type: 'image' }, body: form });
        const body = readJsonAnswer(UPLOAD_PATH, answer);
        if (typeof body.media_id !== 'string' || typeof body.created_at !== 'number') {
          throw new WechatApiError({ kind: 'transient', path: UPLOAD_PATH, errmsg: 'answer has no media_id or created_at' });
        }
        return { mediaId: body.media_id, createdAt: body.created_at };
      }),

    downloadMedia: (app, mediaId) =>
      withToken(app, async (accessToken) =>
        readMediaAnswer(await openExchange(http, MEDIA_GET_PATH, { method: 'GET', query: { access_token: accessToken, media_id: mediaId } })),
      ),
  };
}
