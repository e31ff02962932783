import type { Logger } from '@wxcs/logger';
import { deadLetterQueue, type CatalogQueue, type DeadLetterQueue } from '@wxcs/queue';
import { createHealthRouter, type ReadinessCheck } from '@wxcs/service';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { requireBasicAuth, type Credentials } from './basic-auth.js';
import { createBoardRouter } from './board.js';
import { localFontsOnly } from './local-fonts.js';
import { rejectCrossSiteWrites } from './cross-site.js';
import { createDeadLetterRouter } from './dead-letters/router.js';

export interface AppDeps {
  /** A producer handle on every queue of the catalog (`openQueue`), in the catalog's order. */
  readonly queues: readonly CatalogQueue[];
  readonly credentials: Credentials;
  /** `QUEUE_JOB_ATTEMPTS`, for callbacks replayed from the dead letters. */
  readonly jobAttempts: number;
  /** `NODE_ENV`, shown on the board. */
  readonly environment: string;
  readonly logger: Logger;
  readonly isShuttingDown: () => boolean;
  readonly readinessChecks: readonly ReadinessCheck[];
}

/** Nobody may frame the dashboard: a framed page can be tricked into clicking its buttons. */
const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': "frame-ancestors 'none'",
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
  });
  next();
};

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) {
      next(error);
      return;
    }
    res.status(500).type('text/plain').send('Internal error\n');
  };
}

function deadLettersAmong(queues: readonly CatalogQueue[]): DeadLetterQueue {
  const found = queues.find((queue) => queue.name === deadLetterQueue.name);
  if (found === undefined) throw new Error(`the dashboard needs a handle on ${deadLetterQueue.name}`);
  // Its jobs are read through deadLetterQueue's schema, which accepts every stored shape.
  return found as DeadLetterQueue;
}

/**
 * The dashboard: open health probes, then basic auth and the cross-site check
 * in front of everything else (bull-board's page, API and static files, and
 * the dead-letter page). Only main.ts listens.
 */
export function createApp(deps: AppDeps): Express {
  const { logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);
  app.use(createHealthRouter({ isShuttingDown: deps.isShuttingDown, checks: deps.readinessChecks }));
  app.use(
    requireBasicAuth({
      credentials: deps.credentials,
      realm: 'WeChat CS dashboard',
      onRejected: ({ ip }) => logger.warn({ ip }, 'dashboard login refused'),
    }),
  );
  app.use(rejectCrossSiteWrites({ onRejected: (rejection) => logger.warn(rejection, 'cross-site request refused') }));
  app.use(
    createDeadLetterRouter({
      deadLetters: deadLettersAmong(deps.queues),
      origins: deps.queues,
      jobAttempts: deps.jobAttempts,
      logger,
    }),
  );
  app.use(localFontsOnly, createBoardRouter({ queues: deps.queues, environment: deps.environment }));
  app.use(errorHandler(logger));
  return app;
}
