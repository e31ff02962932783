import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@wxcs/logger';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const FACTS = Symbol('request facts');

/** What a request's log line reports. Handlers fill in what they learn. */
export interface RequestFacts {
  readonly id: string;
  /** performance.now() when the request arrived. */
  readonly startedAt: number;
  app: string | undefined;
  outcome: string | undefined;
  reason: string | undefined;
}

interface TrackedFacts extends RequestFacts {
  readonly method: string | undefined;
  readonly path: string;
  readonly logger: Logger;
  child: Logger | undefined;
}

type TrackedResponse = ServerResponse & { [FACTS]?: TrackedFacts };

const pathOf = (url: string | undefined) => (url ?? '').split('?', 1)[0] ?? '';

/**
 * Takes a caller's sane `x-request-id`, else `<random per process>-<counter>`:
 * unique enough to correlate log lines, and cheaper than a UUID per request.
 */
function createRequestIds(): (req: IncomingMessage) => string {
  const prefix = randomBytes(6).toString('hex');
  let counter = 0;
  return (req) => {
    const incoming = req.headers['x-request-id'];
    return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : `${prefix}-${(++counter).toString(36)}`;
  };
}

// A 'close' listener shared by every response (`this` is the response): no closure per request.
function logCompleted(this: TrackedResponse): void {
  const facts = this[FACTS];
  if (!facts) return;
  const status = this.statusCode;
  // Answered requests are logged at debug: off in production, so their line is not even built.
  if (status < 400 && !facts.logger.isLevelEnabled('debug')) return;
  const line = {
    reqId: facts.id,
    req: { id: facts.id, method: facts.method, path: facts.path },
    res: { statusCode: status },
    responseTime: Math.round(performance.now() - facts.startedAt),
    app: facts.app,
    outcome: facts.outcome,
    reason: facts.reason,
  };
  if (status >= 500) facts.logger.error(line, 'request errored');
  else if (status >= 400) facts.logger.warn(line, 'request completed');
  else facts.logger.debug(line, 'request completed');
}

/**
 * One line per request once its response is done, with a
 * request id that is also echoed as `x-request-id`. The query string
 * (signatures, openid) and the body never reach the log: only the method,
 * the path, the status, the app, what became of the callback, and the short
 * rejection reason. 4xx lines are warn, 5xx lines error, and answered
 * requests debug: at info a line per acknowledged callback cost about a
 * tenth of the receiver's CPU (docs/benchmarks.md), and
 * wxcs_receiver_requests_total counts them anyway.
 *
 * Returns the function that starts tracking a request; it must run first.
 */
export function createRequestLog(logger: Logger): (req: IncomingMessage, res: ServerResponse) => void {
  const nextId = createRequestIds();
  return (req, res) => {
    const id = nextId(req);
    res.setHeader('x-request-id', id);
    const facts: TrackedFacts = {
      id,
      startedAt: performance.now(),
      app: undefined,
      outcome: undefined,
      reason: undefined,
      method: req.method,
      path: pathOf(req.url),
      logger,
      child: undefined,
    };
    (res as TrackedResponse)[FACTS] = facts;
    res.on('close', logCompleted);
  };
}

function trackedFacts(res: ServerResponse): TrackedFacts {
  const facts = (res as TrackedResponse)[FACTS];
  if (!facts) throw new Error('request is not tracked: createRequestLog must run first');
  return facts;
}

export function requestFacts(res: ServerResponse): RequestFacts {
  return trackedFacts(res);
}

/** A child logger carrying the request id, created only for the rare handler that logs. */
export function requestLogger(res: ServerResponse): Logger {
  const facts = trackedFacts(res);
  facts.child ??= facts.logger.child({ reqId: facts.id });
  return facts.child;
}
