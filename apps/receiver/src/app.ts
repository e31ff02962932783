import type { Logger } from '@wxcs/logger';
import { createHealthRouter, metricsHandler } from '@wxcs/service';
import express, { type Express, type RequestHandler } from 'express';
import type { AppRegistry } from './app-registry.js';
import { createErrorHandler, notFound } from './http/error-handler.js';
import { createRequestLogger } from './http/request-logger.js';
import type { Intake } from './intake/create-intake.js';
import type { ReceiverMetrics } from './metrics.js';
import { createWechatRouter } from './routes/wechat-routes.js';

export interface AppDeps {
  readonly logger: Logger;
  readonly registry: AppRegistry;
  readonly intake: Pick<Intake, 'enqueue' | 'isReady'>;
  readonly metrics: ReceiverMetrics;
  readonly isShuttingDown: () => boolean;
  readonly bodyLimitBytes: number;
  readonly timestampToleranceSeconds: number;
  readonly now?: () => Date;
}

/** The receiver's Express app; listening is main.ts's job. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // While draining, each response closes its keep-alive connection so server.close() can finish.
  const closeWhenShuttingDown: RequestHandler = (_req, res, next) => {
    if (deps.isShuttingDown()) res.setHeader('Connection', 'close');
    next();
  };
  app.use(closeWhenShuttingDown);
  // Callbacks first: they are nearly all the traffic, probes can afford the extra routing.
  app.use(createRequestLogger(deps.logger));
  app.use(
    createWechatRouter({
      registry: deps.registry,
      intake: deps.intake,
      metrics: deps.metrics,
      bodyLimitBytes: deps.bodyLimitBytes,
      timestampToleranceSeconds: deps.timestampToleranceSeconds,
      now: deps.now ?? (() => new Date()),
    }),
  );
  app.use(
    createHealthRouter({
      isShuttingDown: deps.isShuttingDown,
      checks: [{ name: 'intake', check: deps.intake.isReady }],
    }),
  );
  app.get('/metrics', metricsHandler(deps.metrics.registry));
  app.use(notFound);
  app.use(createErrorHandler(deps.metrics));
  return app;
}
