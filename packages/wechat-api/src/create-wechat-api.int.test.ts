import { TEST_REDIS_URL } from '@wxcs/queue/testing';
import { Redis } from 'ioredis';
import { describe, expect } from 'vitest';
import { createWechatApi, type TokenFetchEvent } from './create-wechat-api.js';
import { APP, wechatApiTest as test } from './testing/fixtures.js';

const OPENID = 'o-user-1';
const text = (content: string) => ({ touser: OPENID, msgtype: 'text' as const, text: { content } });

describe('createWechatApi', () => {
  test('processes built with the same prefix share one token, and every fetch is reported', async ({ fake, prefix, onTestFinished }) => {
    const events: TokenFetchEvent[] = [];
    const build = () => {
      const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
      onTestFinished(() => redis.disconnect());
      return createWechatApi({ redis, prefix, baseUrl: fake.url, timeoutMs: 1_000, fetch, now: fake.now, onTokenFetch: (event) => events.push(event) });
    };
    const [first, second] = [build(), build()];
    fake.userSentMessage(APP.appId, OPENID);
    await Promise.all([first.client.sendMessage(APP, text('one')), second.client.sendMessage(APP, text('two'))]);
    expect(fake.tokenFetches(APP.appId)).toEqual({ normal: 1, forced: 0 });

    fake.failNext('/cgi-bin/message/custom/send', { errcode: 40001, errmsg: 'invalid credential' });
    await second.client.sendMessage(APP, text('three'));
    const wrongSecret = { ...APP, appSecret: 'not-the-secret' };
    await expect(first.tokens.refreshAfterTokenError(wrongSecret, fake.currentToken(APP.appId) ?? '')).rejects.toMatchObject({ errcode: 40125 });

    expect(events.map(({ app, ...event }) => ({ app: app.name, ...event }))).toEqual([
      { app: APP.name, forceRefresh: false, ok: true },
      { app: APP.name, forceRefresh: true, ok: true },
      { app: APP.name, forceRefresh: true, ok: false, errcode: 40125 },
    ]);
    expect(fake.sent(APP.appId)).toHaveLength(3);
  });

  test('longestCallMs bounds two token waits and two exchanges', async ({ fake, prefix, onTestFinished }) => {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    onTestFinished(() => redis.disconnect());
    const api = createWechatApi({ redis, prefix, baseUrl: fake.url, timeoutMs: 1_000, fetch });
    // Lock 2 s, wait 3 s: a token takes at most 3 s + a poll + 1 s; twice, plus two sends of 1 s.
    expect(api.longestCallMs).toBe(2 * (3_000 + 50 + 1_000) + 2 * 1_000);
  });
});
