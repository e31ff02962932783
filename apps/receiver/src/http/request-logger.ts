import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@wxcs/logger';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Takes a caller's sane `x-request-id`, else `<random per process>-<counter>`:
 * unique enough to correlate log lines, and cheaper than a UUID per request.
 */
function createRequestIds(): (req: IncomingMessage, res: ServerResponse) => string {
  const prefix = randomBytes(6).toString('hex');
  let counter = 0;
  return (req, res) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : `${prefix}-${(++counter).toString(36)}`;
    res.setHeader('x-request-id', id);
    return id;
  };
}

const pathOf = (url: string | undefined) => (url ?? '').split('?', 1)[0];

function locals(res: ServerResponse): Record<string, unknown> {
  return (res as ServerResponse & { locals?: Record<string, unknown> }).locals ?? {};
}

function summary(res: ServerResponse, responseTime: number): Record<string, unknown> {
  const { appName, outcome, reason } = locals(res);
  return { res: { statusCode: res.statusCode }, responseTime, app: appName, outcome, reason };
}

/**
 * One line per request with a request id. The query string (signatures,
 * openid) and the body never reach the log: only the path, the status, the
 * app, what became of the callback, and the short rejection reason.
 */
export function createRequestLogger(logger: Logger): RequestHandler {
  const middleware = pinoHttp({
    logger,
    genReqId: createRequestIds(),
    quietReqLogger: true,
    // Our serializers read the raw objects: cheaper, and nothing else is copied into the line.
    wrapSerializers: false,
    autoLogging: { ignore: (req) => PROBES.has(pathOf(req.url) ?? '') },
    customLogLevel: (_req, res, error) =>
      error !== undefined || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    serializers: {
      req: (req: IncomingMessage) => ({ id: req.id, method: req.method, path: pathOf(req.url) }),
    },
    // Plain objects only: @wxcs/logger's scrub runs before pino's serializers and
    // would otherwise walk the raw ServerResponse (socket, server, ...) on every request.
    customSuccessObject: (_req, res, value: { responseTime: number }) => summary(res, value.responseTime),
    customErrorObject: (_req, res, error, value: { responseTime: number }) => ({ ...summary(res, value.responseTime), err: error }),
  });
  return middleware as RequestHandler;
}
