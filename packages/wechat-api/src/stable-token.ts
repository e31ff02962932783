import { WechatApiError } from './errors.js';
import { exchange, readJsonAnswer, type HttpDeps } from './http.js';
import type { WechatApp } from './types.js';

export const STABLE_TOKEN_PATH = '/cgi-bin/stable_token';

export interface FetchedToken {
  readonly accessToken: string;
  readonly expiresInMs: number;
}

/** Asks WeChat for the app's stable access token; `forceRefresh` invalidates the current one at once. */
export type AccessTokenFetcher = (app: WechatApp, options: { readonly forceRefresh: boolean }) => Promise<FetchedToken>;

/**
 * The stable token (`POST /cgi-bin/stable_token`), not the classic
 * `/cgi-bin/token`: a classic fetch issues a new token that invalidates the
 * one every other replica holds, while normal-mode stable_token returns the
 * same token while it is valid.
 */
export function createStableTokenFetcher(deps: HttpDeps): AccessTokenFetcher {
  return async (app, { forceRefresh }) => {
    const answer = await exchange(deps, STABLE_TOKEN_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid: app.appId, secret: app.appSecret, force_refresh: forceRefresh }),
    });
    const body = readJsonAnswer(STABLE_TOKEN_PATH, answer);
    if (typeof body.access_token !== 'string' || body.access_token === '' || typeof body.expires_in !== 'number') {
      throw new WechatApiError({ kind: 'transient', path: STABLE_TOKEN_PATH, errmsg: 'answer has no access_token or expires_in' });
    }
    return { accessToken: body.access_token, expiresInMs: body.expires_in * 1000 };
  };
}
