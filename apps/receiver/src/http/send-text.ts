import type { ServerResponse } from 'node:http';

/** writeHead + end: no ETag, freshness or charset handling, on Express's routes and the direct path alike. */
export function sendText(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
