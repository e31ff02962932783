import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError, NotFoundError } from '../errors.js';
import type { ReceiverMetrics, RequestOutcome } from '../metrics.js';

interface Described {
  readonly status: number;
  readonly reason: string;
}

function numericField(error: object, key: 'status' | 'statusCode'): number | undefined {
  const value = (error as Record<string, unknown>)[key];
  return typeof value === 'number' ? value : undefined;
}

/**
 * HttpError subclasses carry their status. body-parser errors (size limit,
 * aborted upload) and router errors (malformed percent-encoding) carry a 4xx
 * `status`: bad input, answered as such. Anything else is our bug: 500.
 */
export function describeError(error: unknown): Described {
  if (error instanceof HttpError) return { status: error.status, reason: error.reason };
  if (typeof error === 'object' && error !== null) {
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.too.large') return { status: 413, reason: 'body too large' };
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

/** The one place that turns an error into a status code and a short plain-text reason. */
export function createErrorHandler(metrics: Pick<ReceiverMetrics, 'countRequest'>): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    const { status, reason } = describeError(error);
    metrics.countRequest(outcomeFor(status));
    res.locals.reason = reason;
    if (status === 500) req.log.error({ err: error }, 'request failed');
    if (res.headersSent) {
      next(error);
      return;
    }
    res.status(status).type('text/plain').send(reason);
  };
}
