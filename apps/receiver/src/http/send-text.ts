import type { ServerResponse } from 'node:http';

/** writeHead + end: every answer the public port gives, with nothing added (no ETag, no freshness or charset handling). */
export function sendText(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
