import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { findCookieSession } from '../auth/authenticate.js';
import type { SessionStore } from '../staff/sessions.js';

export interface PagesRouterDeps {
  /** The built inbox (index.html and assets/), from `npm run build`. */
  readonly webRoot: string;
  readonly sessions: SessionStore;
  readonly cookieSecure: boolean;
}

// The pages load only what this origin serves: no CDN, no inline script, no framing by another site.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * The inbox's pages: `/signin` for anyone, `/inbox` (and its deep links) only
 * with a session, otherwise a redirect to `/signin`. One index.html serves
 * them all (the page script reads the path); the assets have hashed names,
 * so they are cached for good.
 */
export function createPagesRouter(deps: PagesRouterDeps): Router {
  const router = Router();
  const index = join(deps.webRoot, 'index.html');
  const page: RequestHandler = (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The inbox is not built: run npm run build.\n');
      return;
    }
    res.set({ 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'same-origin' }).sendFile(index);
  };
  router.use(
    '/assets',
    express.static(join(deps.webRoot, 'assets'), {
      immutable: true,
      maxAge: '365d',
      setHeaders: (res) => res.set('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
  );
  router.get('/', (_req, res) => res.redirect(302, '/inbox'));
  router.get('/signin', page);
  router.get(['/inbox', '/inbox/*rest'], async (req, res, next) => {
    if ((await findCookieSession(req, deps.sessions, deps.cookieSecure)) === undefined) {
      res.redirect(302, '/signin');
      return;
    }
    page(req, res, next);
  });
  return router;
}
