import type { Response } from 'express';
import type { RegisteredApp } from '../app-registry.js';

/** What the callback routes keep in `res.locals` (read by the request logger too). */
export interface CallbackLocals {
  app: RegisteredApp;
  appName: string;
  /** performance.now() when routing reached the callback routes. */
  startedAt: number;
  outcome?: string;
}

/** writeHead + end: the request path skips Express's res.send (ETag, freshness, charset handling). */
export function sendText(res: Response, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
