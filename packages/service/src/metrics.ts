import type { RequestHandler } from 'express';
import { Registry, collectDefaultMetrics } from 'prom-client';

/** A registry per app instance (never prom-client's global), with process metrics. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

export function metricsHandler(registry: Registry): RequestHandler {
  return async (_req, res) => {
    res.set('Content-Type', registry.contentType);
    res.send(await registry.metrics());
  };
}
