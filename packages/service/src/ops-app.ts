import { createHealthRouter, metricsHandler, type ReadinessCheck } from '@wxcs/service';
import express, { type Express } from 'express';
import type { Registry } from 'prom-client';

export interface HttpAppDeps {
  readonly registry: Registry;
  readonly isShuttingDown: () => boolean;
  /** Redis and PostgreSQL, each bounded. */
  readonly checks: readonly ReadinessCheck[];
}

/** The worker's small ops port: `/healthz`, `/readyz`, `/metrics`. Only main listens. */
export function createApp(deps: HttpAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(createHealthRouter({ isShuttingDown: deps.isShuttingDown, checks: deps.checks }));
  app.get('/metrics', metricsHandler(deps.registry));
  return app;
}
