import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { staffSender } from '../staff/accounts.js';
import type { SessionStore, StaffSession } from '../staff/sessions.js';
import { digest, matchToken, parseBearer, type ApiToken } from './bearer-auth.js';
import { readCookie, sessionCookieName } from './cookies.js';
import { crossSiteReason } from '@wxcs/service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';

export const sameToken = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected));

export interface AuthenticateOptions {
  readonly tokens: readonly ApiToken[];
  readonly sessions: SessionStore;
  readonly cookieSecure: boolean;
  readonly onRejected?: (attempt: { ip: string | undefined; reason: string }) => void;
}

/** The signed-in staff member's session and its id, set by authenticate for a cookie caller; undefined for a token. */
export function sessionOf(res: Response): { id: string; session: StaffSession } | undefined {
  return res.locals.staffSession as { id: string; session: StaffSession } | undefined;
}

/** The browser's session from its cookie, or undefined. */
export async function findCookieSession(req: Request, sessions: SessionStore, cookieSecure: boolean): Promise<{ id: string; session: StaffSession } | undefined> {
  const id = readCookie(req, sessionCookieName({ secure: cookieSecure }));
  if (id === undefined || !/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
  const session = await sessions.find(id);
  return session === undefined ? undefined : { id, session };
}

function refuse(res: Response, status: 401 | 403, error: string, bearerChallenge: string | undefined): void {
  if (bearerChallenge !== undefined) res.set('WWW-Authenticate', bearerChallenge);
  res.set('Cache-Control', 'no-store').status(status).json({ error });
}

/**
 * One gate for both kinds of caller of the same routes. An integration sends
 * `Authorization: Bearer`; it decides when present (a browser never sends
 * one, and a wrong token is not retried as a cookie). A browser sends the
 * session cookie, and with every state-changing request the session's CSRF
 * token in `X-CSRF-Token`, from a page of our own origin. The caller's
 * name goes to `res.locals.caller`: the token's name, or `staff:<name>`.
 */
export function authenticate(options: AuthenticateOptions): RequestHandler {
  const hashed = options.tokens.map(({ name, token }) => ({ name, hash: digest(token) }));
  return async (req, res, next) => {
    const given = parseBearer(req.headers.authorization);
    if (given !== undefined) {
      const caller = matchToken(given, hashed);
      if (caller !== undefined) {
        res.locals.caller = caller;
        next();
        return;
      }
      options.onRejected?.({ ip: req.ip, reason: 'token' });
      refuse(res, 401, 'unauthorized', 'Bearer realm="wxcs-support", error="invalid_token"');
      return;
    }
    const found = await findCookieSession(req, options.sessions, options.cookieSecure);
    if (found === undefined) {
      refuse(res, 401, 'unauthorized', 'Bearer realm="wxcs-support"');
      return;
    }
    if (!SAFE_METHODS.has(req.method)) {
      const crossSite = crossSiteReason(req);
      const csrf = req.get(CSRF_HEADER);
      if (crossSite !== undefined || csrf === undefined || !sameToken(csrf, found.session.csrfToken)) {
        options.onRejected?.({ ip: req.ip, reason: crossSite ?? 'csrf token' });
        refuse(res, 403, 'csrf_refused', undefined);
        return;
      }
    }
    res.locals.staffSession = found;
    res.locals.caller = staffSender(found.session.name);
    next();
  };
}
