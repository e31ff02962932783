import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { WechatApiError } from './errors.js';
import { STABLE_TOKEN_PATH, type AccessTokenFetcher } from './stable-token.js';
import type { WechatApp } from './types.js';

/** WeChat renews a stable token in its last five minutes; refreshing earlier would get the same token back. */
export const WECHAT_RENEWS_AHEAD_MS = 5 * 60_000;

export interface TokenStoreOptions {
  /** Any topology: every key stands alone in its command or script, so a Cluster works too. */
  readonly redis: Redis | Cluster;
  /** Key prefix; keys are `<prefix>:token:<appId>` and `<prefix>:token-lock:<appId>`. */
  readonly prefix: string;
  readonly fetchToken: AccessTokenFetcher;
  readonly now?: () => number;
  /** Fetch a new token this long before the cached one expires; at most five minutes (see WECHAT_RENEWS_AHEAD_MS). */
  readonly refreshAheadMs: number;
  /** How long the fetch lock lives if its holder dies; longer than one token fetch. */
  readonly lockTtlMs?: number;
  /** How long a process waits for another one's fetch before giving up with a transient error. */
  readonly waitMs?: number;
  readonly pollMs?: number;
}

export interface TokenStore {
  /** The app's shared token: the cached one, or one fetched by exactly one process while the others wait. */
  readonly get: (app: WechatApp) => Promise<string>;
  /**
   * After WeChat refused `failedToken`: drops it from the cache only if it is
   * still the cached one, and returns the token to retry with — one another
   * process already fetched, or a force-refreshed one.
   */
  readonly refreshAfterTokenError: (app: WechatApp, failedToken: string) => Promise<string>;
}

// Both scripts compare before deleting, so a process never removes a lock or a token that is not the one it means.
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;
const DROP_IF_SAME_TOKEN = `if redis.call('hget', KEYS[1], 'token') == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createTokenStore(options: TokenStoreOptions): TokenStore {
  const { redis, prefix, fetchToken, refreshAheadMs } = options;
  const now = options.now ?? Date.now;
  const lockTtlMs = options.lockTtlMs ?? 15_000;
  const waitMs = options.waitMs ?? lockTtlMs + 5_000;
  const pollMs = options.pollMs ?? 50;
  if (refreshAheadMs < 0 || refreshAheadMs > WECHAT_RENEWS_AHEAD_MS) {
    throw new RangeError(`refreshAheadMs must be between 0 and ${WECHAT_RENEWS_AHEAD_MS}`);
  }
  const tokenKey = (app: WechatApp) => `${prefix}:token:${app.appId}`;
  const lockKey = (app: WechatApp) => `${prefix}:token-lock:${app.appId}`;

  async function readCached(app: WechatApp): Promise<CachedToken | undefined> {
    const { token, expiresAt } = await redis.hgetall(tokenKey(app));
    if (!token || !expiresAt || Number(expiresAt) <= now()) return undefined;
    return { token, expiresAt: Number(expiresAt) };
  }

  /** Runs `work` holding the app's fetch lock, or returns undefined at once if another process holds it. */
  async function withLock<T>(app: WechatApp, work: () => Promise<T>): Promise<{ value: T } | undefined> {
    const owner = randomBytes(16).toString('hex');
    if ((await redis.set(lockKey(app), owner, 'PX', lockTtlMs, 'NX')) !== 'OK') return undefined;
    try {
      return { value: await work() };
    } finally {
      await redis.eval(RELEASE_LOCK, 1, lockKey(app), owner);
    }
  }

  async function fetchAndCache(app: WechatApp, forceRefresh: boolean): Promise<string> {
    const fetched = await fetchToken(app, { forceRefresh });
    const expiresAt = now() + fetched.expiresInMs;
    await redis.multi().hset(tokenKey(app), { token: fetched.accessToken, expiresAt: String(expiresAt) }).pexpire(tokenKey(app), Math.max(1, fetched.expiresInMs)).exec();
    return fetched.accessToken;
  }

  /** Polls until `usable` finds a cached token or this process gets the lock and `fetch` gets one. */
  async function obtain(app: WechatApp, usable: (cached: CachedToken | undefined) => boolean, forceRefresh: boolean): Promise<string> {
    const deadline = now() + waitMs;
    for (;;) {
      const cached = await readCached(app);
      if (cached && usable(cached)) return cached.token;
      const fetched = await withLock(app, async () => {
        // Another process may have cached a token between our read and our lock.
        const again = await readCached(app);
        return again && usable(again) ? again.token : fetchAndCache(app, forceRefresh);
      });
      if (fetched) return fetched.value;
      if (now() >= deadline) break;
      await sleep(pollMs);
    }
    throw new WechatApiError({ kind: 'transient', path: STABLE_TOKEN_PATH, errmsg: `no access token from another process within ${waitMs} ms` });
  }

  return {
    get: async (app) => {
      const cached = await readCached(app);
      if (cached && cached.expiresAt - now() > refreshAheadMs) return cached.token;
      if (cached) {
        // Still valid: one process renews it while everyone, that one included if the renewal fails, keeps using it.
        const renewed = await withLock(app, () => fetchAndCache(app, false)).catch(() => undefined);
        return renewed?.value ?? cached.token;
      }
      return obtain(app, () => true, false);
    },

    refreshAfterTokenError: async (app, failedToken) => {
      await redis.eval(DROP_IF_SAME_TOKEN, 1, tokenKey(app), failedToken);
      // force_refresh, because a normal-mode fetch may hand back the very token WeChat just refused (it is
      // "valid" on the token side yet refused, e.g. 40001 "not latest"). It is limited (20 a day, 30 s apart)
      // and invalidates the token of every process, which is why only the lock holder does it, once per failed token.
      return obtain(app, (cached) => cached !== undefined && cached.token !== failedToken, true);
    },
  };
}
