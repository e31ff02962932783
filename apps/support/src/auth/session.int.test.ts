import { describe, expect } from 'vitest';
import { callApi } from '../testing/http.js';
import { ago, seedUserText } from '../testing/seed.js';
import { signInStaff } from '../testing/staff-session.js';
import { SHOP, TEST_TOKENS, supportTest, textReply } from '../testing/support.js';

const test = supportTest('session', { eventsHeartbeatMs: 200 });
const replies = (openid: string) => `/api/v1/apps/${SHOP.name}/conversations/${openid}/replies`;

describe('staff sessions', () => {
  test('sign in sets an HttpOnly SameSite=Strict cookie; reads need only it, writes also the CSRF token; replies record the staff name', async ({ support }) => {
    const staff = await signInStaff(support.prisma, support.origin, 'li.lei');
    const signIn = await fetch(`${support.origin}/auth/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'li.lei', password: staff.password }),
    });
    const cookie = signIn.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^wxcs_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(await signIn.text()).not.toContain(cookie.split(';')[0]?.split('=')[1]);

    const asStaff = { headers: { cookie: staff.cookie } };
    expect((await callApi(support.origin, '/api/v1/apps', asStaff)).json).toEqual({ apps: [{ name: 'shop', canReply: true }, { name: 'clinic', canReply: false }] });
    expect((await callApi(support.origin, '/auth/session', asStaff)).json).toEqual({ name: 'li.lei', csrfToken: staff.csrfToken });

    await seedUserText(support.prisma, { appId: SHOP.appId, openid: 'o_staff', at: ago(1_000), text: 'hi' });
    const withoutToken = await callApi(support.origin, replies('o_staff'), { ...asStaff, json: textReply('no token') });
    expect(withoutToken.status).toBe(403);
    expect(withoutToken.json).toEqual({ error: 'csrf_refused' });
    const wrongToken = await callApi(support.origin, replies('o_staff'), { headers: { cookie: staff.cookie, 'x-csrf-token': `${staff.csrfToken}x` }, json: textReply('wrong') });
    expect(wrongToken.status).toBe(403);
    const crossSite = await callApi(support.origin, replies('o_staff'), {
      headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrfToken, origin: 'https://evil.example' },
      json: textReply('cross-site'),
    });
    expect(crossSite.status).toBe(403);

    const sent = await callApi(support.origin, replies('o_staff'), { headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrfToken, origin: support.origin }, json: textReply('from the inbox') });
    expect(sent.status).toBe(202);
    const stored = await support.prisma.customerReply.findMany({ where: { openid: 'o_staff' } });
    expect(stored.map((reply) => [reply.sentBy, reply.body])).toEqual([['staff:li.lei', textReply('from the inbox')]]);
    // The integration's token still works beside sessions.
    expect((await support.call(replies('o_staff'), { json: textReply('from the crm') })).status).toBe(202);
  });

  test('sign-out ends the session; a wrong password, a cross-site sign-in and a locked account are refused', async ({ support }) => {
    const staff = await signInStaff(support.prisma, support.origin, 'han.mei');
    const out = await callApi(support.origin, '/auth/signout', { method: 'POST', headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrfToken } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^wxcs_session=; Path=\/; Expires=Thu, 01 Jan 1970/);
    expect((await callApi(support.origin, '/api/v1/apps', { headers: { cookie: staff.cookie } })).status).toBe(401);

    const attempt = (password: string, headers: Record<string, string> = {}) =>
      callApi(support.origin, '/auth/signin', { headers, json: { name: 'han.mei', password } });
    const crossSite = await attempt(staff.password, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get('set-cookie')).toBeNull();
    const statuses = [];
    for (let n = 0; n < 6; n += 1) statuses.push((await attempt(`wrong ${n}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const locked = await attempt(staff.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(locked.json).toMatchObject({ error: 'account_locked' });
  });

  test("a staff member's event stream ends when the session does; an integration's stays open", async ({ support }) => {
    const staff = await signInStaff(support.prisma, support.origin, 'zhou.jie');
    const open = async (headers: Record<string, string>) => {
      const controller = new AbortController();
      const res = await fetch(`${support.origin}/api/v1/apps/${SHOP.name}/events`, { headers, signal: controller.signal });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const text = res.text().then((body) => body, () => 'aborted');
      return { text, abort: () => controller.abort() };
    };
    const staffStream = await open({ cookie: staff.cookie });
    const tokenStream = await open({ authorization: `Bearer ${TEST_TOKENS[0].token}` });
    await callApi(support.origin, '/auth/signout', { method: 'POST', headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrfToken } });
    // The next heartbeat finds no session and ends the stream; the browser's reconnect then meets a 401.
    expect(await staffStream.text).toMatch(/^retry: 2000\n: connected\n\n(: heartbeat\n\n)*$/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    tokenStream.abort();
    expect(await tokenStream.text).toBe('aborted');
  });

  test('pages: /inbox without a session redirects to /signin; assets are public and immutable', async ({ support }) => {
    const page = await fetch(`${support.origin}/inbox`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/signin');
    expect((await fetch(`${support.origin}/`, { redirect: 'manual' })).headers.get('location')).toBe('/inbox');
    expect((await callApi(support.origin, '/api/v1/apps/shop/conversations')).status).toBe(401);
  });
});
