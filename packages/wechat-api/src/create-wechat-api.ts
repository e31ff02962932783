import type { Cluster, Redis } from 'ioredis';
import { createWechatApiClient, type WechatApiClient } from './client.js';
import { WechatApiError } from './errors.js';
import type { Fetch } from './http.js';
import { createStableTokenFetcher, type AccessTokenFetcher } from './stable-token.js';
import { createTokenStore, type TokenStore } from './token-store.js';
import type { WechatApp } from './types.js';

/** Renew a cached token this long before it expires: inside the last five minutes, where WeChat hands out a new one. */
export const TOKEN_REFRESH_AHEAD_MS = 2 * 60_000;
const POLL_MS = 50;

/**
 * The token keys' prefix of a deployment whose queues live under
 * `queuePrefix`: every process that calls WeChat (the worker, the support
 * app) passes this, so they share one token per app.
 */
export function sharedTokenPrefix(queuePrefix: string): string {
  return `${queuePrefix}:wechat-api`;
}

/** One token fetch from WeChat, for metrics: `forceRefresh` after a token error, else a first fetch or a renewal. */
export interface TokenFetchEvent {
  readonly app: WechatApp;
  readonly forceRefresh: boolean;
  readonly ok: boolean;
  /** WeChat's errcode when it refused the fetch. */
  readonly errcode?: number;
}

export interface WechatApiOptions {
  /** Shared by every process that sends for these apps; any topology. */
  readonly redis: Redis | Cluster;
  /**
   * The token keys' prefix. Every process of a deployment must use the same
   * one to share one token per app: `sharedTokenPrefix(QUEUE_PREFIX)`.
   */
  readonly prefix: string;
  /** `https://api.weixin.qq.com`, or the fake's URL in tests. */
  readonly baseUrl: string;
  /** Deadline of one HTTP exchange with WeChat. */
  readonly timeoutMs: number;
  readonly fetch: Fetch;
  readonly onTokenFetch?: (event: TokenFetchEvent) => void;
  readonly now?: () => number;
}

export interface WechatApi {
  readonly client: WechatApiClient;
  readonly tokens: TokenStore;
  /**
   * The longest one call of `client` can take, token handling included: a
   * caller that saw a call start this long ago knows it has ended.
   */
  readonly longestCallMs: number;
}

/**
 * WeChat's server API as a deployment uses it: the stable-token fetcher, the
 * token store shared through Redis, and the client. The fetch lock outlives
 * one fetch twice over, and a process waiting for another's fetch outlives a
 * dead holder's lock, so every wait is bounded by `timeoutMs`.
 */
export function createWechatApi(options: WechatApiOptions): WechatApi {
  const { timeoutMs } = options;
  const http = { baseUrl: options.baseUrl, fetch: options.fetch, timeoutMs };
  const lockTtlMs = 2 * timeoutMs;
  const waitMs = lockTtlMs + 1_000;
  const tokens = createTokenStore({
    redis: options.redis,
    prefix: options.prefix,
    fetchToken: observed(createStableTokenFetcher(http), options.onTokenFetch),
    refreshAheadMs: TOKEN_REFRESH_AHEAD_MS,
    lockTtlMs,
    waitMs,
    pollMs: POLL_MS,
    now: options.now,
  });
  // A token (waiting for another process, then fetching), the call, a token
  // after a token error (the same again), and the call once more.
  const longestTokenMs = waitMs + POLL_MS + timeoutMs;
  return {
    client: createWechatApiClient({ ...http, tokens }),
    tokens,
    longestCallMs: 2 * longestTokenMs + 2 * timeoutMs,
  };
}

function observed(fetchToken: AccessTokenFetcher, onTokenFetch: WechatApiOptions['onTokenFetch']): AccessTokenFetcher {
  if (onTokenFetch === undefined) return fetchToken;
  return async (app, options) => {
    try {
      const fetched = await fetchToken(app, options);
      onTokenFetch({ app, forceRefresh: options.forceRefresh, ok: true });
      return fetched;
    } catch (error) {
      const errcode = error instanceof WechatApiError ? error.errcode : undefined;
      onTokenFetch({ app, forceRefresh: options.forceRefresh, ok: false, ...(errcode === undefined ? {} : { errcode }) });
      throw error;
    }
  };
}
