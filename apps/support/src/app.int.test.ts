import { readMetric } from '@wxcs/testkit';
import { describe, expect } from 'vitest';
import { ago, seedReply, seedUserText } from './testing/seed.js';
import { CLINIC, SHOP, TEST_TOKENS, supportTest } from './testing/support.js';

const test = supportTest('app');

const HOUR = 3_600_000;

/** Every route of the API, and what is not one: all of them need the token (or a staff session, see auth/session.int.test.ts). */
const guarded: { method: string; path: string; json?: unknown }[] = [
  { method: 'GET', path: `/api/v1/apps/${SHOP.name}/conversations` },
  { method: 'GET', path: `/api/v1/apps/${SHOP.name}/conversations/o_user/messages` },
  { method: 'POST', path: `/api/v1/apps/${SHOP.name}/conversations/o_user/replies`, json: { msgtype: 'text', text: { content: 'hi' } } },
  { method: 'GET', path: '/api/v1/replies/1' },
  { method: 'POST', path: `/api/v1/apps/${SHOP.name}/conversations/o_user/typing`, json: { typing: true } },
  { method: 'POST', path: `/api/v1/apps/${SHOP.name}/media` },
  { method: 'GET', path: '/metrics' },
  { method: 'GET', path: '/api/v1/no-such-route' },
  { method: 'GET', path: '/api/v1/apps' },
  { method: 'GET', path: `/api/v1/apps/${SHOP.name}/events` },
];

describe('authentication', () => {
  test.for(guarded)('refuses $method $path without a token', async ({ method, path, json }, { support }) => {
    const res = await support.call(path, { method, json, token: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="wxcs-support"');
    expect(res.json).toEqual({ error: 'unauthorized' });
  });

  test.for(guarded)('refuses $method $path with a wrong token, never echoing it', async ({ method, path, json }, { support }) => {
    const wrong = `${TEST_TOKENS[0].token}x`;
    const res = await support.call(path, { method, json, token: wrong });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="wxcs-support", error="invalid_token"');
    expect(res.text).not.toContain(wrong);
  });

  test('refuses another scheme, and takes either configured token', async ({ support }) => {
    const basic = await support.call('/api/v1/replies/1', { token: null, headers: { authorization: `Basic ${Buffer.from(`crm:${TEST_TOKENS[0].token}`).toString('base64')}` } });
    expect(basic.status).toBe(401);
    for (const { token } of TEST_TOKENS) expect((await support.call('/api/v1/replies/1', { token })).status).toBe(404);
  });

  test('answers an unknown route 404 in JSON once authenticated, and never lets a client cache', async ({ support }) => {
    const res = await support.call('/api/v1/no-such-route');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: 'not_found' });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('health probes', () => {
  test('answer without a token and reveal nothing', async ({ support }) => {
    const live = await support.call('/healthz', { token: null });
    expect(live.status).toBe(200);
    expect(live.json).toEqual({ status: 'ok' });
    const ready = await support.call('/readyz', { token: null });
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ status: 'ready', checks: { redis: true, database: true } });
  });
});

describe('/metrics', () => {
  test('counts conversations closing within the hour with a question unanswered, per app', async ({ support }) => {
    const closingAt = ago(48 * HOUR - 30 * 60_000);
    // Closing in half an hour, unanswered: counted.
    await seedUserText(support.prisma, { appId: SHOP.appId, openid: 'o_closing', at: closingAt, text: 'anyone?' });
    // Closing as well, but answered since: not counted.
    await seedUserText(support.prisma, { appId: SHOP.appId, openid: 'o_closing_answered', at: closingAt, text: 'anyone?' });
    await seedReply(support.prisma, { appId: SHOP.appId, openid: 'o_closing_answered', at: ago(47 * HOUR), text: 'Yes!' });
    // Unanswered, but the window has 38 hours left; and one that has closed already.
    await seedUserText(support.prisma, { appId: SHOP.appId, openid: 'o_open_long', at: ago(10 * HOUR), text: 'hi' });
    await seedUserText(support.prisma, { appId: SHOP.appId, openid: 'o_closed_already', at: ago(49 * HOUR), text: 'hi' });

    const res = await support.call('/metrics');
    expect(res.status).toBe(200);
    expect(readMetric(res.text, 'wxcs_support_conversations_closing_unanswered', { app: SHOP.name })).toBe(1);
    expect(res.text).toContain(`wxcs_support_conversations_closing_unanswered{app="${CLINIC.name}",service="support"} 0`);
    expect(readMetric(res.text, 'wxcs_support_scrape_query_failures_total')).toBe(0);
  });

  test('counts requests by route template, never by path', async ({ support }) => {
    await support.call(`/api/v1/apps/${SHOP.name}/conversations/o_metrics_path/messages`);
    await support.call(`/api/v1/apps/${SHOP.name}/conversations/o_metrics_path/messages`, { token: null });
    const res = await support.call('/metrics');
    expect(readMetric(res.text, 'wxcs_support_requests_total', { route: '/api/v1/apps/:app/conversations/:openid/messages', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(readMetric(res.text, 'wxcs_support_requests_total', { route: '-', status: '401' })).toBeGreaterThanOrEqual(1);
    // An error answered by the app's error handler keeps its route's full template.
    await support.call('/api/v1/apps/nosuchapp/conversations');
    const after = await support.call('/metrics');
    expect(readMetric(after.text, 'wxcs_support_requests_total', { route: '/api/v1/apps/:app/conversations', status: '404' })).toBe(1);
    expect(res.text).not.toContain('o_metrics_path');
  });
});
