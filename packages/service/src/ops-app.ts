import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import { createHealthRouter, type ReadinessCheck } from './health.js';
import { metricsHandler } from './metrics.js';

export interface OpsAppDeps {
  readonly registry: Registry;
  readonly isShuttingDown: () => boolean;
  /** What readiness waits on, each bounded (checkWithin). */
  readonly checks: readonly ReadinessCheck[];
}

/**
 * Every service's internal port: `/healthz`, `/readyz`, `/metrics`. It is
 * kept apart from public traffic so probes and scrapes are never exposed
 * through a reverse proxy. Only main.ts listens.
 */
export function createOpsApp(deps: OpsAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(createHealthRouter({ isShuttingDown: deps.isShuttingDown, checks: deps.checks }));
  app.get('/metrics', metricsHandler(deps.registry));
  return app;
}
