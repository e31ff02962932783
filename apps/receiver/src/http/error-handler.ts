import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError, NotFoundError } from '../errors.js';
import type { ReceiverMetrics, RequestOutcome } from '../metrics.js';
import { sendText } from './send-text.js';
import { requestFacts, requestLogger } from './request-log.js';

interface Described {
  readonly status: number;
  readonly reason: string;
}

function numericField(error: object, key: 'status' | 'statusCode'): number | undefined {
  const value = (error as Record<string, unknown>)[key];
  return typeof value === 'number' ? value : undefined;
}

/**
 * HttpError subclasses carry their status. Router errors (malformed
 * percent-encoding in `/wechat/:app`) carry a 4xx `status`: bad input,
 * answered as such. Anything else is our bug: 500.
 */
export function describeError(error: unknown): Described {
  if (error instanceof HttpError) return { status: error.status, reason: error.reason };
  if (typeof error === 'object' && error !== null) {
    const type = (error as { type?: unknown }).type;
    const status = numericField(error, 'status') ?? numericField(error, 'statusCode');
    if (status !== undefined && status >= 400 && status < 500) {
      return { status, reason: typeof type === 'string' ? type : 'bad request' };
    }
  }
  return { status: 500, reason: 'internal error' };
}

const OUTCOMES: Readonly<Record<number, RequestOutcome>> = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  413: 'too_large',
  415: 'unsupported_media_type',
  503: 'unavailable',
};

export function outcomeFor(status: number): RequestOutcome {
  return OUTCOMES[status] ?? (status < 500 ? 'bad_request' : 'error');
}

export const notFound: RequestHandler = (_req, _res, next) => {
  next(new NotFoundError('not found'));
};

/** Answers a failed request; used by the callback handler and by Express alike. */
export type ErrorResponder = (error: unknown, res: ServerResponse) => void;

/** The one place that turns an error into a status code and a short plain-text reason. */
export function createErrorResponder(metrics: Pick<ReceiverMetrics, 'countRequest'>): ErrorResponder {
  return (error, res) => {
    const { status, reason } = describeError(error);
    metrics.countRequest(outcomeFor(status));
    requestFacts(res).reason = reason;
    if (status === 500) requestLogger(res).error({ err: error }, 'request failed');
    // Too late for a status: cut the connection, as Express's final handler does.
    if (res.headersSent) res.destroy();
    else sendText(res, status, 'text/plain; charset=utf-8', reason);
  };
}

export function createErrorHandler(respond: ErrorResponder): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => respond(error, res);
}
