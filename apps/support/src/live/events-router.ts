import { Router } from 'express';
import { sessionOf } from '../auth/authenticate.js';
import type { SessionStore } from '../staff/sessions.js';
import { appOf, resolveApp } from '../http/route-context.js';
import type { SupportApps } from '../http/support-apps.js';
import type { ChangeFeed } from './change-feed.js';

/** A comment line this often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/**
 * `GET /apps/{app}/events`: server-sent events for one mini program,
 * `conversation` (new activity: reload it), `reply` (a status, with
 * WeChat's errcode) and `media` (an image archived, or failed). Browsers reconnect by themselves; the page reloads its
 * view on every (re)connect, so what happened in between is not lost.
 */
export function createEventsRouter(deps: { apps: SupportApps; feed: ChangeFeed; sessions: SessionStore; heartbeatMs?: number }): Router {
  const router = Router();
  router.get('/apps/:app/events', resolveApp(deps.apps), (req, res) => {
    const app = appOf(res);
    res.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    res.write('retry: 2000\n: connected\n\n');
    const unsubscribe = deps.feed.subscribe({
      changes: (changes) => {
        for (const change of changes) {
          if (change.appId !== app.appId) continue;
          const { appId: _appId, kind, ...data } = change;
          res.write(`event: ${kind}\ndata: ${JSON.stringify(data)}\n\n`);
        }
      },
      // Shutting down: the browser reconnects, to another replica if this one is gone.
      closed: () => res.end(),
    });
    // A staff stream ends with its session (signed out, account removed, expired): the browser's reconnect then meets the 401.
    const staff = sessionOf(res);
    // The check answers after a tick: by then the stream may have ended.
    const beat = () => {
      if (!res.writableEnded) res.write(': heartbeat\n\n');
    };
    const heartbeat = setInterval(() => {
      if (staff === undefined) {
        beat();
        return;
      }
      deps.sessions
        .isActive(staff.id)
        .then((active) => (active ? beat() : res.end()))
        // The database is out of reach: the stream goes on, its requests will say what is wrong.
        .catch(beat);
    }, deps.heartbeatMs ?? HEARTBEAT_MS);
    res.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });
  return router;
}
