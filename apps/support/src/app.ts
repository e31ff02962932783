import type { PrismaClient } from '@wxcs/db';
import type { Logger } from '@wxcs/logger';
import type { BlobReader } from '@wxcs/media';
import { createHealthRouter, type ReadinessCheck } from '@wxcs/service';
import type { WechatApiClient } from '@wxcs/wechat-api';
import express, { type Express, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { authenticate } from './auth/authenticate.js';
import type { ApiToken } from './auth/bearer-auth.js';
import type { CookieSettings } from './auth/cookies.js';
import { createSessionRouter } from './auth/session-router.js';
import { createConversationsRouter } from './conversations/conversations-router.js';
import { createArchivedMediaRouter } from './media/archived-media-router.js';
import { ApiError } from './http/api-error.js';
import { createAppsRouter } from './http/apps-router.js';
import { errorHandler } from './http/error-handler.js';
import { observeRequests, rememberMount } from './http/observe-requests.js';
import type { SupportApps } from './http/support-apps.js';
import type { ChangeFeed } from './live/change-feed.js';
import { createEventsRouter } from './live/events-router.js';
import type { SupportMetrics } from './metrics/support-metrics.js';
import type { EnqueueDeps } from './replies/enqueue-reply.js';
import { createRepliesRouter } from './replies/replies-router.js';
import { createMediaRouter } from './wechat/media-router.js';
import type { SessionStore } from './staff/sessions.js';
import { createTypingRouter } from './wechat/typing-router.js';
import { createPagesRouter } from './web/pages-router.js';

/** JSON bodies are a reply at most: 2 KB of text, or a card. */
export const JSON_BODY_LIMIT = '64kb';

export interface AppDeps {
  readonly apps: SupportApps;
  readonly prisma: PrismaClient;
  readonly enqueue: EnqueueDeps;
  readonly wechat: Pick<WechatApiClient, 'setTyping' | 'uploadImage'>;
  /** The archived images' bytes, wherever the worker kept them. */
  readonly blobs: Pick<BlobReader, 'open'>;
  readonly tokens: readonly ApiToken[];
  /** The inbox's sign-in: staff sessions, their cookie, the built pages, the live feed. */
  readonly inbox: {
    readonly sessions: SessionStore;
    readonly cookie: CookieSettings;
    readonly webRoot: string;
    readonly feed: ChangeFeed;
    /** How often an event stream gets a comment line and a staff stream's session is checked; 15 s when unset. */
    readonly heartbeatMs?: number;
  };
  readonly metrics: SupportMetrics;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly isShuttingDown: () => boolean;
  readonly readinessChecks: readonly ReadinessCheck[];
  readonly now?: () => Date;
}

// Answers carry conversations: no cache, shared or private, keeps them.
const noStore: RequestHandler = (_req, res, next) => {
  res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  next();
};

/**
 * The support API and the inbox on one port: `/healthz` and `/readyz` open
 * (they reveal nothing), the inbox's pages and sign-in (each checks the
 * session itself), then authentication (a bearer token or a staff session)
 * in front of everything else, `/metrics` included, then the API under
 * `/api/v1`, which the inbox's pages call like any integration. Only
 * main.ts listens.
 */
export function createApp(deps: AppDeps): Express {
  const { logger, apps, prisma } = deps;
  const now = deps.now ?? (() => new Date());
  const app = express();
  app.disable('x-powered-by');
  app.use(noStore);
  app.use(observeRequests({ metrics: deps.metrics, logger }));
  app.use(createHealthRouter({ isShuttingDown: deps.isShuttingDown, checks: deps.readinessChecks }));
  const { inbox } = deps;
  app.use(createPagesRouter({ webRoot: inbox.webRoot, sessions: inbox.sessions, cookieSecure: inbox.cookie.secure }));
  app.use(createSessionRouter({ prisma, sessions: inbox.sessions, cookie: inbox.cookie, logger, now }));
  app.use(
    authenticate({
      tokens: deps.tokens,
      sessions: inbox.sessions,
      cookieSecure: inbox.cookie.secure,
      onRejected: ({ ip, reason }) => logger.warn({ ip, reason }, reason === 'token' ? 'support API token refused' : 'request refused: cross-site or without its CSRF token'),
    }),
  );
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', deps.registry.contentType).send(await deps.registry.metrics());
  });
  app.use(
    '/api/v1',
    rememberMount,
    createAppsRouter(apps),
    createConversationsRouter({ apps, prisma, now }),
    createEventsRouter({ apps, feed: inbox.feed, sessions: inbox.sessions, heartbeatMs: inbox.heartbeatMs }),
    createRepliesRouter({ apps, prisma, bodyLimit: JSON_BODY_LIMIT, submit: { prisma, enqueue: deps.enqueue, metrics: deps.metrics, now } }),
    createTypingRouter({ apps, wechat: deps.wechat, logger }),
    createMediaRouter({ apps, wechat: deps.wechat, logger }),
    createArchivedMediaRouter({ apps, prisma, blobs: deps.blobs, logger }),
  );
  app.use(() => {
    throw new ApiError(404, 'not_found');
  });
  app.use(errorHandler(logger));
  return app;
}
