import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '@wxcs/logger';
import express from 'express';
import type { AppRegistry } from './app-registry.js';
import { callbackTarget } from './http/callback-url.js';
import { createErrorHandler, createErrorResponder, notFound } from './http/error-handler.js';
import { createRequestLog } from './http/request-log.js';
import type { Intake } from './intake/create-intake.js';
import type { DeliveryWindow } from './intake/delivery-window.js';
import type { ReceiverMetrics } from './metrics.js';
import { createReceiveCallback } from './routes/receive-callback.js';
import { createWechatRouter } from './routes/wechat-routes.js';

export interface AppDeps {
  readonly logger: Logger;
  readonly registry: AppRegistry;
  readonly intake: Pick<Intake, 'enqueue'>;
  readonly deliveries: DeliveryWindow;
  readonly metrics: ReceiverMetrics;
  readonly isShuttingDown: () => boolean;
  readonly bodyLimitBytes: number;
  readonly timestampToleranceSeconds: number;
  readonly now?: () => Date;
}

/** The receiver's public request handling: WeChat's URLs only. Listening is startReceiver's job. */
export interface ReceiverApp {
  /** The node:http request listener. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** A server for `handle`, listening (as Express's `app.listen`). */
  readonly listen: (port: number, host: string) => Server;
}

/**
 * Callbacks are nearly all the traffic, and Express's per-request work
 * (switching prototypes, the router, URL parsing) cost as much CPU as
 * everything a callback needs itself (README, "Request path"). So a POST to a
 * URL WeChat is configured with (callbackTarget) goes from node:http straight
 * to the callback handler. Everything else, other spellings of those URLs
 * included, goes through Express, whose POST route calls the same handler.
 * Both paths share the request log and the error responder.
 */
export function createApp(deps: AppDeps): ReceiverApp {
  const startRequest = createRequestLog(deps.logger);
  const respondWithError = createErrorResponder(deps.metrics);
  const receiveCallback = createReceiveCallback({
    registry: deps.registry,
    intake: deps.intake,
    deliveries: deps.deliveries,
    metrics: deps.metrics,
    bodyLimitBytes: deps.bodyLimitBytes,
    timestampToleranceSeconds: deps.timestampToleranceSeconds,
    now: deps.now ?? (() => new Date()),
    respondWithError,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(createWechatRouter({ registry: deps.registry, metrics: deps.metrics, receiveCallback }));
  app.use(notFound);
  app.use(createErrorHandler(respondWithError));

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    // While draining, each response closes its keep-alive connection so server.close() can finish.
    if (deps.isShuttingDown()) res.setHeader('Connection', 'close');
    startRequest(req, res);
    const target = req.method === 'POST' ? callbackTarget(req.url ?? '') : undefined;
    if (target) receiveCallback(req, res, target.app, target.query);
    else app(req, res);
  };
  return { handle, listen: (port, host) => createServer(handle).listen(port, host) };
}
