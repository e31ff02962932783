import type { PrismaClient } from '@wxcs/db';
import type { Logger } from '@wxcs/logger';
import { createHealthRouter, type ReadinessCheck } from '@wxcs/service';
import type { WechatApiClient } from '@wxcs/wechat-api';
import express, { type Express, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { requireBearerToken, type ApiToken } from './auth/bearer-auth.js';
import { createConversationsRouter } from './conversations/conversations-router.js';
import { ApiError } from './http/api-error.js';
import { errorHandler } from './http/error-handler.js';
import { observeRequests, rememberMount } from './http/observe-requests.js';
import type { SupportApps } from './http/support-apps.js';
import type { SupportMetrics } from './metrics/support-metrics.js';
import type { EnqueueDeps } from './replies/enqueue-reply.js';
import { createRepliesRouter } from './replies/replies-router.js';
import { createMediaRouter } from './wechat/media-router.js';
import { createTypingRouter } from './wechat/typing-router.js';

/** JSON bodies are a reply at most: 2 KB of text, or a card. */
export const JSON_BODY_LIMIT = '64kb';

export interface AppDeps {
  readonly apps: SupportApps;
  readonly prisma: PrismaClient;
  readonly enqueue: EnqueueDeps;
  readonly wechat: Pick<WechatApiClient, 'setTyping' | 'uploadImage'>;
  readonly tokens: readonly ApiToken[];
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
 * The support API on one port: `/healthz` and `/readyz` open (they reveal
 * nothing), then the bearer token in front of everything else, `/metrics`
 * included, then the API under `/api/v1`. Only main.ts listens.
 */
export function createApp(deps: AppDeps): Express {
  const { logger, apps, prisma } = deps;
  const now = deps.now ?? (() => new Date());
  const app = express();
  app.disable('x-powered-by');
  app.use(noStore);
  app.use(observeRequests({ metrics: deps.metrics, logger }));
  app.use(createHealthRouter({ isShuttingDown: deps.isShuttingDown, checks: deps.readinessChecks }));
  app.use(requireBearerToken({ tokens: deps.tokens, onRejected: ({ ip }) => logger.warn({ ip }, 'support API token refused') }));
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', deps.registry.contentType).send(await deps.registry.metrics());
  });
  app.use(
    '/api/v1',
    rememberMount,
    createConversationsRouter({ apps, prisma, now }),
    createRepliesRouter({ apps, prisma, bodyLimit: JSON_BODY_LIMIT, submit: { prisma, enqueue: deps.enqueue, metrics: deps.metrics, now } }),
    createTypingRouter({ apps, wechat: deps.wechat, logger }),
    createMediaRouter({ apps, wechat: deps.wechat, logger }),
  );
  app.use(() => {
    throw new ApiError(404, 'not_found');
  });
  app.use(errorHandler(logger));
  return app;
}
