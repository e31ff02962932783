import type { IncomingMessage } from 'node:http';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors.js';

/**
 * The request body as bytes, by the rules `express.raw({ limit, inflate:
 * false })` (body-parser 2) applied, with their status codes: no body at all
 * is `undefined`; any Content-Encoding is 415 before reading; over `limit`
 * (declared or counted) is 413, answered once the rest has been read off so
 * the connection stays usable; a client that aborts, or a length that does
 * not match Content-Length, is 400.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const { headers } = req;
  if (headers['transfer-encoding'] === undefined && Number.isNaN(Number(headers['content-length']))) {
    return Promise.resolve(undefined);
  }
  const encoding = headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity') {
    return Promise.reject(new UnsupportedMediaTypeError('encoding.unsupported'));
  }
  const declared = headers['content-length'] === undefined ? undefined : Number.parseInt(headers['content-length'], 10);
  if (declared !== undefined && declared > limit) return discardThenReject(req, new PayloadTooLargeError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    // The listeners stay attached once the outcome is known (`settled` makes them
    // inert) and go away with the request: no per-request bookkeeping to undo.
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      received += chunk.length;
      if (received <= limit) {
        chunks.push(chunk);
        return;
      }
      settled = true;
      chunks.length = 0;
      discardThenReject(req, new PayloadTooLargeError()).catch(reject);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      if (declared !== undefined && received !== declared) reject(new BadRequestError('request.size.invalid'));
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received));
    });
    req.on('aborted', () => {
      if (settled) return;
      settled = true;
      reject(new BadRequestError('request.aborted'));
    });
    req.on('error', (cause: Error) => {
      if (settled) return;
      settled = true;
      reject(new BadRequestError('bad request', { cause }));
    });
  });
}

/** Reads off the rest of the body, then rejects: the 413 goes out on a connection that can be reused. */
function discardThenReject(req: IncomingMessage, error: Error): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (req.readableEnded) {
      reject(error);
      return;
    }
    const done = () => reject(error);
    req.once('end', done).once('close', done);
    req.resume();
  });
}
