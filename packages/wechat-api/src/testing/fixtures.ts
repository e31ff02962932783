import { startFakeWechatApi, type FakeWechatApi } from '@wxcs/testkit';
import { TEST_REDIS_URL, deleteQueuePrefix, uniqueQueuePrefix } from '@wxcs/queue/testing';
import { Redis } from 'ioredis';
import { test as base } from 'vitest';
import { createWechatApiClient, type WechatApiClient } from '../client.js';
import type { Fetch } from '../http.js';
import { createStableTokenFetcher } from '../stable-token.js';
import { createTokenStore, type TokenStore, type TokenStoreOptions } from '../token-store.js';
import type { WechatApp } from '../types.js';

export const APP: WechatApp = { name: 'shop', appId: 'wx-test-shop', appSecret: 'test-secret-shop' };
export const START = Date.UTC(2026, 0, 1, 8);

/** One process's view: its own Redis connection, token store and client, all sharing the test's key prefix. */
export interface Replica {
  readonly redis: Redis;
  readonly tokens: TokenStore;
  readonly client: WechatApiClient;
}

export interface WechatApiFixtures {
  /** The fake WeChat API, fresh for each test, on a clock that moves only with `advance`. */
  fake: FakeWechatApi;
  /** A Redis key prefix of this test's own, deleted after it. */
  prefix: string;
  /** Starts a replica; `fetch` lets a test slow or observe calls to WeChat. */
  replica: (options?: { fetch?: Fetch; timeoutMs?: number; store?: Partial<TokenStoreOptions> }) => Replica;
}

// vitest reads a fixture's dependencies from its destructuring pattern, so it must be one, even empty.
/* eslint-disable no-empty-pattern */
export const wechatApiTest = base.extend<WechatApiFixtures>({
  fake: async ({}, use) => {
    const fake = await startFakeWechatApi({ apps: [{ appId: APP.appId, secret: APP.appSecret }], now: () => START });
    await use(fake);
    await fake.close();
  },
  prefix: async ({}, use) => {
    const prefix = uniqueQueuePrefix('wechat-api');
    await use(prefix);
    await deleteQueuePrefix(TEST_REDIS_URL, prefix);
  },
  replica: async ({ fake, prefix }, use) => {
    const started: Redis[] = [];
    await use((options = {}) => {
      const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
      started.push(redis);
      const http = { baseUrl: fake.url, fetch: options.fetch ?? fetch, timeoutMs: options.timeoutMs ?? 2_000 };
      const tokens = createTokenStore({
        redis,
        prefix,
        fetchToken: createStableTokenFetcher(http),
        now: fake.now,
        refreshAheadMs: 60_000,
        pollMs: 10,
        ...options.store,
      });
      return { redis, tokens, client: createWechatApiClient({ ...http, tokens }) };
    });
    for (const redis of started) redis.disconnect();
  },
});
/* eslint-enable no-empty-pattern */
