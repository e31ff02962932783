import { parse as parseQueryString, type ParsedUrlQuery } from 'node:querystring';

// The app segment is any run of characters but `/`: one linear pass, and an
// odd segment simply names no configured app.
const CALLBACK_PATH = /^\/wechat(?:\/([^/]+))?\/?$/;

export interface CallbackTarget {
  /** The app named in the path, exactly as sent; undefined for `/wechat`. */
  readonly app: string | undefined;
  /** `querystring.parse` of everything after the first `?`. */
  readonly query: ParsedUrlQuery;
}

/**
 * The app and query of a request target that is one of WeChat's callback
 * URLs, `/wechat` or `/wechat/<app>`, or undefined for any other target
 * (a 404). WeChat calls exactly the URL it is configured with, and its URL
 * verification shows a wrong one the moment an operator saves it, so the
 * match is strict:
 * - case-sensitive, and the app segment is not percent-decoded: app names
 *   are `[a-z0-9_-]` (@wxcs/config), which never need encoding, so another
 *   spelling names no configured app;
 * - one trailing slash is accepted, since people add one to URLs they paste;
 * - origin-form only: an absolute-form target (`http://host/wechat`) is sent
 *   to proxies, not to servers.
 */
export function callbackTarget(url: string): CallbackTarget | undefined {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const match = CALLBACK_PATH.exec(path);
  if (match === null) return undefined;
  return { app: match[1], query: parseQueryString(queryStart === -1 ? '' : url.slice(queryStart + 1)) };
}
