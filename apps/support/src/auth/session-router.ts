import type { PrismaClient } from '@wxcs/db';
import type { Logger } from '@wxcs/logger';
import { STAFF_NAME_PATTERN } from '@wxcs/config';
import express, { Router } from 'express';
import { z } from 'zod';
import { ApiError } from '../http/api-error.js';
import { requireJson } from '../http/route-context.js';
import type { SessionStore } from '../staff/sessions.js';
import { signIn } from '../staff/sign-in.js';
import { CSRF_HEADER, findCookieSession, sameToken } from './authenticate.js';
import { clearSessionCookie, setSessionCookie, type CookieSettings } from './cookies.js';
import { crossSiteReason } from '@wxcs/service';

const signInBody = z.strictObject({ name: z.string().max(64), password: z.string().max(1024) });

export interface SessionRouterDeps {
  readonly prisma: PrismaClient;
  readonly sessions: SessionStore;
  readonly cookie: CookieSettings;
  readonly logger: Logger;
  readonly now: () => Date;
}

/**
 * `/auth/signin`, `/auth/signout` and `/auth/session` for the inbox's pages.
 * Sign-in is JSON only and refused cross-site, so no other site's form can
 * sign a browser in to an account of its choosing (login CSRF).
 */
export function createSessionRouter(deps: SessionRouterDeps): Router {
  const router = Router();
  const { sessions, cookie, logger } = deps;
  const sameSiteOnly: express.RequestHandler = (req, _res, next) => {
    if (crossSiteReason(req) !== undefined) throw new ApiError(403, 'csrf_refused');
    next();
  };

  router.post('/auth/signin', sameSiteOnly, requireJson, express.json({ limit: '4kb', strict: true }), async (req, res) => {
    const parsed = signInBody.safeParse(req.body);
    if (!parsed.success) throw new ApiError(400, 'invalid_body', { message: 'send {"name", "password"}' });
    const name = parsed.data.name.trim().toLowerCase();
    const result = STAFF_NAME_PATTERN.test(name) ? await signIn(deps.prisma, { name, password: parsed.data.password, now: deps.now() }) : ({ outcome: 'refused' } as const);
    if (result.outcome === 'locked') {
      const retryAfter = Math.max(1, Math.ceil((result.until.getTime() - deps.now().getTime()) / 1000));
      logger.warn({ staff: name, ip: req.ip, retryAfter }, 'sign-in refused: account locked');
      res.set('Retry-After', String(retryAfter)).status(429).json({ error: 'account_locked', retryAfterSeconds: retryAfter });
      return;
    }
    if (result.outcome === 'refused') {
      logger.warn({ staff: name, ip: req.ip }, 'sign-in refused');
      throw new ApiError(401, 'sign_in_refused');
    }
    const { id, session } = await sessions.create(result.userId);
    setSessionCookie(res, cookie, id);
    logger.info({ staff: session.name, ip: req.ip }, 'signed in');
    res.json({ name: session.name, csrfToken: session.csrfToken });
  });

  // Signing out is state-changing too: the CSRF token is checked, so another site cannot sign staff out.
  router.post('/auth/signout', sameSiteOnly, async (req, res) => {
    const found = await findCookieSession(req, sessions, cookie.secure);
    if (found !== undefined) {
      if (!sameToken(req.get(CSRF_HEADER) ?? '', found.session.csrfToken)) throw new ApiError(403, 'csrf_refused');
      await sessions.remove(found.id);
      logger.info({ staff: found.session.name }, 'signed out');
    }
    clearSessionCookie(res, cookie);
    res.status(204).end();
  });

  // The page asks who is signed in, and for the CSRF token it sends back on writes.
  router.get('/auth/session', async (req, res) => {
    const found = await findCookieSession(req, sessions, cookie.secure);
    if (found === undefined) throw new ApiError(401, 'unauthorized');
    res.json({ name: found.session.name, csrfToken: found.session.csrfToken });
  });

  return router;
}
