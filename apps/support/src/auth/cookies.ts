import type { Request, Response } from 'express';

export interface CookieSettings {
  /** HTTPS only; the name then carries the `__Host-` prefix, which browsers accept only from a secure origin, on `/`, without Domain. */
  readonly secure: boolean;
}

export const sessionCookieName = (settings: Pick<CookieSettings, 'secure'>) => (settings.secure ? '__Host-wxcs_session' : 'wxcs_session');

/** The named cookie's value from the Cookie header; undefined when absent. */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * HttpOnly (page scripts never see the id), SameSite=Strict (no other site's
 * link, form or fetch carries it), Path=/ (the pages, the API, the events).
 * No Max-Age: the server ends an idle session, and a browser-side expiry
 * would not move with it.
 */
export function setSessionCookie(res: Response, settings: CookieSettings, value: string): void {
  res.cookie(sessionCookieName(settings), value, { httpOnly: true, sameSite: 'strict', secure: settings.secure, path: '/' });
}

export function clearSessionCookie(res: Response, settings: CookieSettings): void {
  res.clearCookie(sessionCookieName(settings), { httpOnly: true, sameSite: 'strict', secure: settings.secure, path: '/' });
}
