import type { ServerResponse } from 'node:http';
import { HttpError } from '../errors.js';
import type { ReceiverMetrics, RequestOutcome } from '../metrics.js';
import { sendText } from './send-text.js';
import { requestFacts, requestLogger } from './request-log.js';

interface Described {
  readonly status: number;
  readonly reason: string;
}

/** HttpError subclasses carry their status. Anything else is our bug: 500. */
export function describeError(error: unknown): Described {
  if (error instanceof HttpError) return { status: error.status, reason: error.reason };
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

/** Answers a failed request. */
export type ErrorResponder = (error: unknown, res: ServerResponse) => void;

/** The one place that turns an error into a status code and a short plain-text reason. */
export function createErrorResponder(metrics: Pick<ReceiverMetrics, 'countRequest'>): ErrorResponder {
  return (error, res) => {
    const { status, reason } = describeError(error);
    metrics.countRequest(outcomeFor(status));
    requestFacts(res).reason = reason;
    if (status === 500) requestLogger(res).error({ err: error }, 'request failed');
    // Too late for a status: cut the connection, so the client cannot take a half-sent answer for a whole one.
    if (res.headersSent) res.destroy();
    else sendText(res, status, 'text/plain; charset=utf-8', reason);
  };
}
