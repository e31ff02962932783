import type { Logger } from '@wxcs/logger';
import type { Request, RequestHandler, Response } from 'express';
import type { SupportMetrics } from '../metrics/support-metrics.js';

/**
 * Remembers where a router is mounted: Express resets `req.baseUrl` when a
 * request leaves the router, so an error answered by the app's error
 * handler would otherwise be labelled without it.
 */
export const rememberMount: RequestHandler = (req, res, next) => {
  res.locals.mount = req.baseUrl;
  next();
};

/** The matched route's template (`/api/v1/apps/:app/media`), never the path: paths carry openids and ids. */
export function routeOf(req: Request, res: Response): string {
  // Express types `req.route` as any; only a string path is a template.
  const route = req.route as { path?: unknown } | undefined;
  if (typeof route?.path !== 'string') return '-';
  const mount: unknown = res.locals.mount;
  return `${typeof mount === 'string' ? mount : req.baseUrl}${route.path}`;
}

const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Counts every answered request and logs the API's: route template, status,
 * duration, the caller's token name and the app, never a header or a body.
 */
export function observeRequests(deps: { metrics: SupportMetrics; logger: Logger }): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = routeOf(req, res);
      deps.metrics.requests.inc({ route, method: req.method, status: String(res.statusCode) });
      const line = {
        method: req.method,
        route,
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        caller: typeof res.locals.caller === 'string' ? res.locals.caller : undefined,
        app: typeof req.params.app === 'string' ? req.params.app : undefined,
      };
      if (QUIET_ROUTES.has(route)) deps.logger.debug(line, 'request');
      else deps.logger.info(line, 'request');
    });
    next();
  };
}
