import { parse as parseQueryString, type ParsedUrlQuery } from 'node:querystring';

/**
 * The URLs WeChat is configured with, `/wechat` and `/wechat/<app>` (app
 * names are `[a-z0-9_-]`, see @wxcs/config), with nothing in the query that
 * Express's URL parsing (parseurl) treats specially: no `#`, no whitespace.
 */
const CALLBACK_URL = /^\/wechat(?:\/([a-z0-9_-]+))?(?:\?([^#\s]*))?$/;

export interface CallbackTarget {
  /** The app named in the path; undefined for `/wechat`. */
  readonly app: string | undefined;
  /** As Express's `req.query` would give it (`querystring.parse`). */
  readonly query: ParsedUrlQuery;
}

/**
 * The app and query of a request target that Express would route to
 * `/wechat[/:app]` with the same app name and query, or undefined for any
 * other target (other spellings, percent-encoding, other paths), which then
 * takes the Express route.
 */
export function callbackTarget(url: string): CallbackTarget | undefined {
  const match = CALLBACK_URL.exec(url);
  if (match === null) return undefined;
  return { app: match[1], query: parseQueryString(match[2] ?? '') };
}
