import type { Logger } from '@wxcs/logger';
import type { ErrorRequestHandler } from 'express';
import { ApiError } from './api-error.js';
import { routeOf } from './observe-requests.js';

/** What body-parser and multer put on their errors; both are matched by these fields, not by class. */
interface ParserError {
  readonly type?: unknown;
  readonly code?: unknown;
  readonly name?: unknown;
  readonly field?: unknown;
}

/** Body-parser's and multer's refusals as ApiErrors; undefined for anything else. */
function parserRefusal(error: ParserError): ApiError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return new ApiError(400, 'invalid_json');
    case 'entity.too.large':
      return new ApiError(413, 'body_too_large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError(415, 'unsupported_media_type');
  }
  if (error.name !== 'MulterError') return undefined;
  switch (error.code) {
    case 'LIMIT_FILE_SIZE':
      return new ApiError(413, 'file_too_large');
    case 'LIMIT_UNEXPECTED_FILE':
    case 'LIMIT_FILE_COUNT':
      return new ApiError(400, 'invalid_body', { field: 'media', message: 'send exactly one file, in the field "media"' });
    default:
      return new ApiError(400, 'invalid_body', { field: 'media', message: 'the multipart body has parts other than one file "media"' });
  }
}

/**
 * The one place errors become answers. An ApiError or a parser's refusal is
 * answered as it says; anything else is logged and answered 500 with no
 * detail, so neither a stack nor a connection string reaches a client.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    const known = error instanceof ApiError ? error : typeof error === 'object' && error !== null ? parserRefusal(error) : undefined;
    if (res.headersSent) {
      next(error);
      return;
    }
    if (known) {
      res.status(known.status).json(known.body);
      return;
    }
    logger.error({ err: error, method: req.method, route: routeOf(req, res) }, 'request failed');
    res.status(500).json({ error: 'internal' });
  };
}
