import { describe, expect, test as base } from 'vitest';
import { startFakeWechatApi, type FakeWechatApi } from './fake-wechat-api.js';

const APP = { appId: 'wx-fake-app', secret: 'fake-secret' };
const START = Date.UTC(2026, 0, 1, 8);

// A fresh fake per test, on a clock that starts at a fixed instant and moves only with advance().
// vitest reads a fixture's dependencies from its destructuring pattern, so it must be one, even empty.
// eslint-disable-next-line no-empty-pattern
const test = base.extend<{ fake: FakeWechatApi }>({ fake: async ({}, use) => {
  const fake = await startFakeWechatApi({ apps: [APP], now: () => START });
  await use(fake);
  await fake.close();
} });

async function post(fake: FakeWechatApi, path: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const query = token === undefined ? '' : `?access_token=${encodeURIComponent(token)}`;
  const response = await fetch(`${fake.url}${path}${query}`, { method: 'POST', body: JSON.stringify(body) });
  return (await response.json()) as Record<string, unknown>;
}

function stableToken(fake: FakeWechatApi, overrides: Record<string, unknown> = {}) {
  return post(fake, '/cgi-bin/stable_token', { grant_type: 'client_credential', appid: APP.appId, secret: APP.secret, force_refresh: false, ...overrides });
}

async function token(fake: FakeWechatApi): Promise<string> {
  return (await stableToken(fake)).access_token as string;
}

function send(fake: FakeWechatApi, accessToken: string, touser = 'openid-1') {
  return post(fake, '/cgi-bin/message/custom/send', { touser, msgtype: 'text', text: { content: 'hello' } }, accessToken);
}

describe('stable_token', () => {
  test('checks the appid and the secret', async ({ fake }) => {
    expect(await stableToken(fake, { appid: 'wx-other' })).toMatchObject({ errcode: 40013 });
    expect(await stableToken(fake, { secret: 'wrong' })).toMatchObject({ errcode: 40125 });
  });

  test('normal mode returns the same token while it is valid, a new one in its last five minutes', async ({ fake }) => {
    const first = await stableToken(fake);
    expect(first).toMatchObject({ expires_in: 7200 });
    fake.advance(3_600_000);
    expect(await stableToken(fake)).toMatchObject({ access_token: first.access_token, expires_in: 3600 });
    fake.advance(3_400_000);
    const renewed = await stableToken(fake);
    expect(renewed.access_token).not.toBe(first.access_token);
    // The old one keeps working until it expires.
    fake.userSentMessage(APP.appId, 'openid-1');
    expect(await send(fake, first.access_token as string)).toMatchObject({ errcode: 0 });
    expect(fake.tokenFetches(APP.appId)).toEqual({ normal: 3, forced: 0 });
  });

  test('an expired token gives 42001, an invalidated one 40001', async ({ fake }) => {
    fake.userSentMessage(APP.appId, 'openid-1');
    const expiring = await token(fake);
    fake.advance(7_200_000);
    expect(await send(fake, expiring)).toMatchObject({ errcode: 42001 });
    const current = await token(fake);
    fake.invalidateToken(APP.appId);
    expect(await send(fake, current)).toMatchObject({ errcode: 40001 });
    expect(await send(fake, 'made-up')).toMatchObject({ errcode: 40001 });
  });

  test('force_refresh invalidates the old token at once, needs 30 s between calls and stops at the daily limit', async ({ fake }) => {
    fake.userSentMessage(APP.appId, 'openid-1');
    const old = await token(fake);
    const forced = await stableToken(fake, { force_refresh: true });
    expect(forced.access_token).not.toBe(old);
    expect(await send(fake, old)).toMatchObject({ errcode: 40001 });
    expect(await send(fake, forced.access_token as string)).toMatchObject({ errcode: 0 });
    expect(await stableToken(fake, { force_refresh: true })).toMatchObject({ errcode: 45011 });
    for (let i = 1; i < 20; i += 1) {
      fake.advance(30_000);
      expect(await stableToken(fake, { force_refresh: true })).toHaveProperty('access_token');
    }
    fake.advance(30_000);
    expect(await stableToken(fake, { force_refresh: true })).toMatchObject({ errcode: 45009 });
    expect(fake.tokenFetches(APP.appId).forced).toBe(20);
  });
});

describe('the reply window', () => {
  test('a user message allows five replies within 48 hours', async ({ fake }) => {
    const accessToken = await token(fake);
    expect(await send(fake, accessToken)).toMatchObject({ errcode: 45015 });
    fake.userSentMessage(APP.appId, 'openid-1');
    for (let i = 0; i < 5; i += 1) expect(await send(fake, accessToken)).toMatchObject({ errcode: 0 });
    const sixth = await send(fake, accessToken);
    expect(sixth).toMatchObject({ errcode: 45047 });
    expect(sixth.errmsg).toMatch(/rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    expect(fake.sent(APP.appId)).toHaveLength(5);
    expect(fake.sent(APP.appId)[0]).toMatchObject({ touser: 'openid-1', msgtype: 'text', accessToken });

    fake.userSentMessage(APP.appId, 'openid-1');
    fake.advance(48 * 3_600_000 + 1);
    expect(await send(fake, await token(fake))).toMatchObject({ errcode: 45015 });
  });

  test('entering the session allows two replies within a minute', async ({ fake }) => {
    const accessToken = await token(fake);
    fake.userEnteredSession(APP.appId, 'openid-1');
    expect(fake.window(APP.appId, 'openid-1')).toEqual({ repliesLeft: 2, deadline: START + 60_000 });
    expect(await send(fake, accessToken)).toMatchObject({ errcode: 0 });
    expect(await send(fake, accessToken)).toMatchObject({ errcode: 0 });
    expect(await send(fake, accessToken)).toMatchObject({ errcode: 45047 });
    fake.userEnteredSession(APP.appId, 'openid-1');
    fake.advance(60_001);
    expect(await send(fake, accessToken)).toMatchObject({ errcode: 45015 });
  });

  test('allowances do not add up: the count resets to the action’s maximum, the deadline stays the later one', async ({ fake }) => {
    const accessToken = await token(fake);
    fake.userSentMessage(APP.appId, 'openid-1');
    await send(fake, accessToken);
    fake.userEnteredSession(APP.appId, 'openid-1');
    expect(fake.window(APP.appId, 'openid-1')).toEqual({ repliesLeft: 2, deadline: START + 48 * 3_600_000 });
    fake.userSentMessage(APP.appId, 'openid-1');
    expect(fake.window(APP.appId, 'openid-1').repliesLeft).toBe(5);
    // Windows are per openid.
    expect(await send(fake, accessToken, 'openid-2')).toMatchObject({ errcode: 45015 });
  });

  test('malformed bodies are refused without spending a reply', async ({ fake }) => {
    const accessToken = await token(fake);
    fake.userSentMessage(APP.appId, 'openid-1');
    const path = '/cgi-bin/message/custom/send';
    expect(await post(fake, path, { touser: 'openid-1', msgtype: 'text', text: {} }, accessToken)).toMatchObject({ errcode: 44004 });
    expect(await post(fake, path, { touser: 'openid-1', msgtype: 'link', link: { title: 't' } }, accessToken)).toMatchObject({ errcode: 47001 });
    expect(await post(fake, path, { touser: 'openid-1', msgtype: 'voice', voice: {} }, accessToken)).toMatchObject({ errcode: 40008 });
    expect(await post(fake, path, { msgtype: 'text', text: { content: 'x' } }, accessToken)).toMatchObject({ errcode: 40003 });
    expect(await post(fake, path, { touser: 'openid-1', msgtype: 'image', image: { media_id: 'nope' } }, accessToken)).toMatchObject({ errcode: 40007 });
    expect(fake.window(APP.appId, 'openid-1').repliesLeft).toBe(5);
  });
});

describe('typing', () => {
  const path = '/cgi-bin/message/custom/business/typing';

  test('needs a message exchanged in the last 30 s, refuses a repeat while typing and a bad command', async ({ fake }) => {
    const accessToken = await token(fake);
    expect(await post(fake, path, { touser: 'openid-1', command: 'Typing' }, accessToken)).toMatchObject({ errcode: 45080 });
    fake.userSentMessage(APP.appId, 'openid-1');
    expect(await post(fake, path, { touser: 'openid-1', command: 'Typing' }, accessToken)).toMatchObject({ errcode: 0 });
    expect(await post(fake, path, { touser: 'openid-1', command: 'Typing' }, accessToken)).toMatchObject({ errcode: 45081 });
    expect(await post(fake, path, { touser: 'openid-1', command: 'Dance' }, accessToken)).toMatchObject({ errcode: 45072 });
    await send(fake, accessToken);
    expect(fake.isTyping(APP.appId, 'openid-1')).toBe(false);
    fake.advance(30_001);
    expect(await post(fake, path, { touser: 'openid-1', command: 'Typing' }, accessToken)).toMatchObject({ errcode: 45080 });
  });
});

describe('media', () => {
  async function upload(fake: FakeWechatApi, accessToken: string, type: string) {
    const form = new FormData();
    form.append('media', new Blob([Buffer.from('fake image bytes')], { type }), 'a.png');
    const response = await fetch(`${fake.url}/cgi-bin/media/upload?type=image&access_token=${accessToken}`, { method: 'POST', body: form });
    return (await response.json()) as Record<string, unknown>;
  }

  test('an uploaded image comes back from media/get with its type; unknown ids are a JSON 40007 with HTTP 200', async ({ fake }) => {
    const accessToken = await token(fake);
    const uploaded = await upload(fake, accessToken, 'image/png');
    expect(uploaded).toMatchObject({ type: 'image', created_at: Math.floor(START / 1000) });
    const got = await fetch(`${fake.url}/cgi-bin/media/get?access_token=${accessToken}&media_id=${uploaded.media_id as string}`);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await got.arrayBuffer()).toString()).toBe('fake image bytes');

    const missing = await fetch(`${fake.url}/cgi-bin/media/get?access_token=${accessToken}&media_id=nope`);
    expect(missing.status).toBe(200);
    expect(await missing.json()).toMatchObject({ errcode: 40007 });

    fake.advance(3 * 86_400_000 + 1_000);
    const expired = await fetch(`${fake.url}/cgi-bin/media/get?access_token=${await token(fake)}&media_id=${uploaded.media_id as string}`);
    expect(await expired.json()).toMatchObject({ errcode: 40007 });
  });

  test('a non-image is 40004', async ({ fake }) => {
    expect(await upload(fake, await token(fake), 'text/plain')).toMatchObject({ errcode: 40004 });
  });
});

describe('scripted failures', () => {
  test('failNext fails the next calls to a path the given way, then the fake answers honestly again', async ({ fake }) => {
    const accessToken = await token(fake);
    fake.userSentMessage(APP.appId, 'openid-1');
    fake.failNext('/cgi-bin/message/custom/send', { errcode: -1 }, 2);
    fake.failNext('/cgi-bin/message/custom/send', { status: 502 });
    expect(await send(fake, accessToken)).toMatchObject({ errcode: -1 });
    expect(await send(fake, accessToken)).toMatchObject({ errcode: -1 });
    const response = await fetch(`${fake.url}/cgi-bin/message/custom/send?access_token=${accessToken}`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(502);
    expect(await send(fake, accessToken)).toMatchObject({ errcode: 0 });
    expect(fake.sent(APP.appId)).toHaveLength(1);
    expect(fake.calls('/cgi-bin/message/custom/send')).toBe(4);
  });

  test('a late answer: the call is done at once, answered after the delay', async ({ fake }) => {
    const accessToken = await token(fake);
    fake.userSentMessage(APP.appId, 'openid-1');
    fake.failNext('/cgi-bin/message/custom/send', { delayMs: 2_000 });
    const started = performance.now();
    let answered = false;
    const answer = send(fake, accessToken).finally(() => (answered = true));
    await expect.poll(() => fake.sent(APP.appId).length).toBe(1);
    expect(answered).toBe(false);
    expect(await answer).toMatchObject({ errcode: 0 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_990);
  });

  test('a late answer nobody waits for any more is dropped, and close() does not wait for it', async ({ fake }) => {
    const accessToken = await token(fake);
    fake.userSentMessage(APP.appId, 'openid-1');
    fake.failNext('/cgi-bin/message/custom/send', { delayMs: 60_000 });
    const abandoned = fetch(`${fake.url}/cgi-bin/message/custom/send?access_token=${accessToken}`, {
      method: 'POST',
      body: JSON.stringify({ touser: 'openid-1', msgtype: 'text', text: { content: 'hello' } }),
      signal: AbortSignal.timeout(200),
    });
    await expect(abandoned).rejects.toThrow(/aborted|timeout/i);
    expect(fake.sent(APP.appId)).toHaveLength(1);
    const started = performance.now();
    await fake.close();
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  test('a hanging call never answers', async ({ fake }) => {
    fake.failNext('/cgi-bin/stable_token', { hang: true });
    await expect(
      fetch(`${fake.url}/cgi-bin/stable_token`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow(/aborted|timeout/i);
  });
});
