import { describe, expect } from 'vitest';
import { WechatApiError } from './errors.js';
import type { Fetch } from './http.js';
import { APP, wechatApiTest as test } from './testing/fixtures.js';

const OPENID = 'o-user-1';
const SEND = '/cgi-bin/message/custom/send';
const text = (content: string) => ({ touser: OPENID, msgtype: 'text' as const, text: { content } });

/** A fetch whose token calls take a while, so concurrent first calls really overlap. */
const slowTokenFetch: Fetch = async (input, init) => {
  if (String(input).includes('/cgi-bin/stable_token')) await new Promise((resolve) => setTimeout(resolve, 150));
  return fetch(input, init);
};

describe('one token shared by every process', () => {
  test('two replicas starting together fetch the token once between them', async ({ fake, replica }) => {
    const replicas = [replica({ fetch: slowTokenFetch }), replica({ fetch: slowTokenFetch })];
    fake.userSentMessage(APP.appId, OPENID);
    const tokens = await Promise.all(replicas.flatMap(({ tokens: store }) => Array.from({ length: 5 }, () => store.get(APP))));
    expect(new Set(tokens).size).toBe(1);
    await Promise.all(replicas.map(({ client }, i) => client.sendMessage(APP, text(`from replica ${i}`))));
    expect(fake.tokenFetches(APP.appId)).toEqual({ normal: 1, forced: 0 });
    expect(fake.sent(APP.appId)).toHaveLength(2);
  });

  test('a replica started later uses the cached token', async ({ fake, replica }) => {
    await replica().tokens.get(APP);
    await replica().tokens.get(APP);
    expect(fake.tokenFetches(APP.appId).normal).toBe(1);
  });

  test('a fetch lock left by a dead process expires and a waiting process takes over', async ({ fake, prefix, replica }) => {
    const { redis, tokens } = replica({ store: { lockTtlMs: 300 } });
    await redis.set(`${prefix}:token-lock:${APP.appId}`, 'a process that died', 'PX', 300);
    const started = performance.now();
    expect(await tokens.get(APP)).toBe(fake.currentToken(APP.appId));
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(fake.tokenFetches(APP.appId).normal).toBe(1);
  });

  test('a token about to expire is renewed ahead by one process; the old one is used meanwhile', async ({ fake, replica }) => {
    const { tokens } = replica();
    const first = await tokens.get(APP);
    fake.advance(7_200_000 - 61_000);
    expect(await tokens.get(APP)).toBe(first);
    fake.advance(2_000);
    const renewed = await tokens.get(APP);
    expect(renewed).not.toBe(first);
    expect(await tokens.get(APP)).toBe(renewed);
    expect(fake.tokenFetches(APP.appId)).toEqual({ normal: 2, forced: 0 });
  });

  test('an expired cached token is never handed out', async ({ fake, replica }) => {
    const { tokens } = replica();
    const first = await tokens.get(APP);
    fake.advance(7_200_000);
    expect(await tokens.get(APP)).not.toBe(first);
  });
});

describe('a token error', () => {
  test('a 40001 refreshes the token once and the call succeeds on the second try', async ({ fake, replica }) => {
    const { client } = replica();
    fake.userSentMessage(APP.appId, OPENID);
    await client.sendMessage(APP, text('warm up'));
    fake.failNext(SEND, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
    await client.sendMessage(APP, text('after 40001'));
    expect(fake.tokenFetches(APP.appId)).toEqual({ normal: 1, forced: 1 });
    expect(fake.calls(SEND)).toBe(3);
    expect(fake.sent(APP.appId).map((sent) => sent.body)).toEqual([text('warm up'), text('after 40001')]);
    expect(fake.sent(APP.appId)[1]?.accessToken).toBe(fake.currentToken(APP.appId));
  });

  test('a token invalidated elsewhere is replaced, and a second replica reuses the replacement', async ({ fake, replica }) => {
    const [first, second] = [replica(), replica()];
    fake.userSentMessage(APP.appId, OPENID);
    const stale = await first.tokens.get(APP);
    fake.invalidateToken(APP.appId);
    await first.client.sendMessage(APP, text('one'));
    // The second replica failed with the same stale token: the cache no longer holds it, so nothing is dropped or fetched.
    expect(await second.tokens.refreshAfterTokenError(APP, stale)).toBe(fake.currentToken(APP.appId));
    expect(fake.tokenFetches(APP.appId)).toEqual({ normal: 1, forced: 1 });
  });

  test('replicas failing with the same token at once force-refresh it only once', async ({ fake, replica }) => {
    const replicas = [replica({ fetch: slowTokenFetch }), replica({ fetch: slowTokenFetch })];
    const stale = await replicas[0]!.tokens.get(APP);
    fake.invalidateToken(APP.appId);
    const fresh = await Promise.all(replicas.flatMap(({ tokens }) => [tokens.refreshAfterTokenError(APP, stale), tokens.refreshAfterTokenError(APP, stale)]));
    expect(new Set(fresh)).toEqual(new Set([fake.currentToken(APP.appId)]));
    expect(fake.tokenFetches(APP.appId).forced).toBe(1);
  });

  test('a second token error is not retried again', async ({ fake, replica }) => {
    const { client } = replica();
    fake.userSentMessage(APP.appId, OPENID);
    fake.failNext(SEND, { errcode: 42001, errmsg: 'access_token expired' }, 2);
    await expect(client.sendMessage(APP, text('x'))).rejects.toMatchObject({ kind: 'token', errcode: 42001 });
    expect(fake.calls(SEND)).toBe(2);
    expect(fake.sent(APP.appId)).toHaveLength(0);
  });

  test('a wrong secret is permanent, and neither the secret nor a token appears in the error', async ({ fake, replica }) => {
    const { client, tokens } = replica();
    const error = await client.sendMessage({ ...APP, appSecret: 'not-the-secret' }, text('x')).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(WechatApiError);
    expect(error).toMatchObject({ kind: 'permanent', errcode: 40125 });
    expect(JSON.stringify({ ...(error as WechatApiError), message: (error as Error).message })).not.toContain('not-the-secret');

    const token = await tokens.get(APP);
    fake.failNext(SEND, { status: 500 });
    const failed = (await client.sendMessage(APP, text('x')).catch((reason: unknown) => reason)) as WechatApiError;
    expect(`${failed.message} ${JSON.stringify(failed)}`).not.toContain(token);
  });
});
