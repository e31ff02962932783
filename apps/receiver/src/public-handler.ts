import type { RequestListener } from 'node:http';
import type { Logger } from '@wxcs/logger';
import type { AppDirectory } from '@wxcs/wechat';
import { NotFoundError } from './errors.js';
import { callbackTarget } from './http/callback-url.js';
import { createErrorResponder } from './http/error-handler.js';
import { createRequestLog } from './http/request-log.js';
import type { Intake } from './intake/create-intake.js';
import type { DeliveryWindow } from './intake/delivery-window.js';
import type { ReceiverMetrics } from './metrics.js';
import { createAnswerUrlVerification } from './routes/answer-url-verification.js';
import { createReceiveCallback } from './routes/receive-callback.js';

export interface PublicHandlerDeps {
  readonly logger: Logger;
  readonly apps: AppDirectory;
  readonly intake: Pick<Intake, 'enqueue'>;
  readonly deliveries: DeliveryWindow;
  readonly metrics: ReceiverMetrics;
  readonly isShuttingDown: () => boolean;
  readonly bodyLimitBytes: number;
  readonly timestampToleranceSeconds: number;
  readonly now?: () => Date;
}

/**
 * One node:http handler for the public port, which serves only WeChat's
 * callback URLs (callbackTarget): `POST` is a callback, `GET` (and `HEAD`,
 * its bodiless twin) the URL verification, anything else 404. Health and
 * metrics are on the ops port; only main.ts listens. No framework: on this port Express cost 1.055×
 * the CPU per callback (README, "Request path").
 */
export function createPublicHandler(deps: PublicHandlerDeps): RequestListener {
  const startRequest = createRequestLog(deps.logger);
  const respondWithError = createErrorResponder(deps.metrics);
  const receiveCallback = createReceiveCallback({
    apps: deps.apps,
    intake: deps.intake,
    deliveries: deps.deliveries,
    metrics: deps.metrics,
    bodyLimitBytes: deps.bodyLimitBytes,
    timestampToleranceSeconds: deps.timestampToleranceSeconds,
    now: deps.now ?? (() => new Date()),
    respondWithError,
  });
  const answerUrlVerification = createAnswerUrlVerification({ apps: deps.apps, metrics: deps.metrics, respondWithError });

  return (req, res) => {
    // While shutting down, each response closes its keep-alive connection so server.close() can finish.
    if (deps.isShuttingDown()) res.setHeader('Connection', 'close');
    startRequest(req, res);
    const target = callbackTarget(req.url ?? '');
    if (target !== undefined && req.method === 'POST') receiveCallback(req, res, target);
    else if (target !== undefined && (req.method === 'GET' || req.method === 'HEAD')) answerUrlVerification(res, target);
    else respondWithError(new NotFoundError('not found'), res);
  };
}
