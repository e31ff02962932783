import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFakeMedia, type SentMessage } from './fake-messages.js';
import { createRoutes, type Media } from './fake-routes.js';
import { createFakeTokens, type FakeApp, type TokenFetchCounts } from './fake-tokens.js';
import { createReplyWindows, type ReplyWindow } from './reply-window.js';
import { FakeWechatRefusal, errorAnswer, refuse } from './wechat-answer.js';

export type { FakeApp, ReplyWindow, SentMessage, TokenFetchCounts };

/**
 * How the next call(s) to a path fail: WeChat's error answer, an HTTP status,
 * no answer at all (nothing done), or a late answer: `delayMs` does the call
 * at once (a send is accepted and counted in `sent`) and answers only after
 * the delay, as when WeChat took a message and the answer was lost. For a
 * file (media/get), `cutAfterBytes` sends that much of it and drops the
 * connection; `stallAfterBytes` sends that much and then nothing more.
 */
export type ScriptedFailure =
  | { errcode: number; errmsg?: string }
  | { status: number }
  | { hang: true }
  | { delayMs: number }
  | { cutAfterBytes: number }
  | { stallAfterBytes: number };

export interface FakeWechatApiOptions {
  readonly apps: readonly FakeApp[];
  /** The clock the fake starts from; `advance` moves it forward. Defaults to `Date.now`. */
  readonly now?: () => number;
  /** force_refresh calls allowed per app and day (WeChat: 20). */
  readonly forceRefreshDailyLimit?: number;
  /** Port on 127.0.0.1; default: any free one. `npm run demo` serves on a known one. */
  readonly port?: number;
}

export interface FakeWechatApi {
  /** Base URL, e.g. `http://127.0.0.1:41234`; paths are WeChat's own (`/cgi-bin/…`). */
  readonly url: string;
  /** Drops every connection and stops; a second call waits for the first. */
  readonly close: () => Promise<void>;
  readonly now: () => number;
  readonly advance: (ms: number) => void;
  readonly userSentMessage: (appId: string, openid: string) => void;
  readonly userEnteredSession: (appId: string, openid: string) => void;
  readonly window: (appId: string, openid: string) => ReplyWindow;
  /** A file a user sent, served by media/get for 3 days of the fake's clock; returns its media id. */
  readonly addUserMedia: (appId: string, file: { bytes: Buffer; contentType: string; filename?: string }) => string;
  readonly isTyping: (appId: string, openid: string) => boolean;
  /** Every message WeChat accepted for the app, in order. */
  readonly sent: (appId: string) => readonly SentMessage[];
  readonly tokenFetches: (appId: string) => TokenFetchCounts;
  readonly currentToken: (appId: string) => string | undefined;
  /** As if someone else force-refreshed: the app's current token is refused from now on. */
  readonly invalidateToken: (appId: string) => void;
  readonly failNext: (path: string, failure: ScriptedFailure, times?: number) => void;
  /** Requests received on a path, failed or not. */
  readonly calls: (path: string) => number;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export async function startFakeWechatApi(options: FakeWechatApiOptions): Promise<FakeWechatApi> {
  let offsetMs = 0;
  const baseClock = options.now ?? Date.now;
  const clock = () => baseClock() + offsetMs;
  const tokens = createFakeTokens(options.apps, clock, options.forceRefreshDailyLimit ?? 20);
  const windows = createReplyWindows(clock);
  const media = createFakeMedia(clock);
  const sent = new Map<string, SentMessage[]>();
  const failures = new Map<string, ScriptedFailure[]>();
  const callCounts = new Map<string, number>();

  const routes = createRoutes({ tokens, windows, media, sent, clock });
  const lateAnswers = new Set<NodeJS.Timeout>();
  const late = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        lateAnswers.delete(timer);
        resolve();
      }, ms);
      lateAnswers.add(timer);
    });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake.invalid');
    const body = await readBody(request);
    callCounts.set(url.pathname, (callCounts.get(url.pathname) ?? 0) + 1);
    const scripted = failures.get(url.pathname)?.shift();
    if (scripted && 'hang' in scripted) return; // never answered; close() drops the socket
    if (scripted && 'status' in scripted) {
      response.writeHead(scripted.status, { 'content-type': 'text/html' }).end('<html>scripted failure</html>');
      return;
    }
    const route = routes[url.pathname];
    if (!route) {
      response.writeHead(404).end();
      return;
    }
    let result: object | Media;
    try {
      if (scripted && 'errcode' in scripted) refuse(scripted.errcode, scripted.errmsg ?? 'scripted failure');
      result = await route({ url, body, contentType: request.headers['content-type'] ?? '' });
    } catch (error) {
      if (!(error instanceof FakeWechatRefusal)) throw error;
      result = errorAnswer(error.errcode, error.errmsg);
    }
    if (scripted && 'delayMs' in scripted) {
      await late(scripted.delayMs);
      // The caller may have given up, or close() dropped the socket.
      if (response.destroyed) return;
    }
    if ('media' in result) {
      const { bytes, contentType, filename } = result.media;
      response.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length, 'content-disposition': `attachment; filename="${filename}"` });
      if (scripted && 'cutAfterBytes' in scripted) {
        response.write(bytes.subarray(0, scripted.cutAfterBytes), () => response.destroy());
      } else if (scripted && 'stallAfterBytes' in scripted) {
        // The rest never comes; close() drops the socket.
        response.write(bytes.subarray(0, scripted.stallAfterBytes));
      } else {
        response.end(bytes);
      }
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(result));
  }

  const server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      response.writeHead(500).end(error instanceof Error ? error.message : String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}`,
    // Closing twice is harmless: a test may close it before its fixture does.
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        // A late answer still waiting is never given.
        for (const timer of lateAnswers) clearTimeout(timer);
        lateAnswers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      })),
    now: clock,
    advance: (ms) => {
      offsetMs += ms;
    },
    userSentMessage: windows.userSentMessage,
    userEnteredSession: windows.userEnteredSession,
    window: windows.window,
    addUserMedia: (appId, file) => media.addUserMedia(appId, file),
    isTyping: windows.isTyping,
    sent: (appId) => [...(sent.get(appId) ?? [])],
    tokenFetches: tokens.fetches,
    currentToken: tokens.current,
    invalidateToken: tokens.invalidate,
    failNext: (path, failure, times = 1) => {
      const queue = failures.get(path) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(failure);
      failures.set(path, queue);
    },
    calls: (path) => callCounts.get(path) ?? 0,
  };
}
