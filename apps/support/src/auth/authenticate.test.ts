import express from 'express';
import { describe, expect, it } from 'vitest';
import type { SessionStore } from '../staff/sessions.js';
import { authenticate } from './authenticate.js';
import { callerOf } from './bearer-auth.js';

const SESSION_ID = 'a'.repeat(43);
const sessions: SessionStore = {
  create: () => Promise.reject(new Error('not in this test')),
  find: (id) => Promise.resolve(id === SESSION_ID ? { name: 'li.lei', csrfToken: 'csrf-token-of-li-lei' } : undefined),
  isActive: (id) => Promise.resolve(id === SESSION_ID),
  remove: () => Promise.resolve(),
};

describe('authenticate', () => {
  const app = express();
  const rejected: unknown[] = [];
  app.use(authenticate({ tokens: [{ name: 'crm', token: 'crm-token-0123456789' }], sessions, cookieSecure: false, onRejected: (attempt) => rejected.push(attempt) }));
  app.all('/who', (_req, res) => {
    res.json({ caller: callerOf(res) });
  });

  async function call(headers: Record<string, string> = {}, method = 'GET') {
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    try {
      const res = await fetch(`http://127.0.0.1:${port}/who`, { method, headers });
      return { status: res.status, challenge: res.headers.get('www-authenticate'), body: await res.text() };
    } finally {
      server.close();
    }
  }

  it('passes the caller name on for a known token', async () => {
    const res = await call({ authorization: 'Bearer crm-token-0123456789' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ caller: 'crm' });
  });

  it('answers 401 with a Bearer challenge, and never echoes the token sent', async () => {
    const missing = await call();
    expect(missing.status).toBe(401);
    expect(missing.challenge).toBe('Bearer realm="wxcs-support"');
    const wrong = await call({ authorization: 'Bearer not-the-crm-token-secret', cookie: `wxcs_session=${SESSION_ID}` });
    expect(wrong.status, 'a wrong token is not retried as the cookie').toBe(401);
    expect(wrong.challenge).toBe('Bearer realm="wxcs-support", error="invalid_token"');
    expect(wrong.body).toBe('{"error":"unauthorized"}');
    expect(JSON.stringify(rejected)).not.toContain('not-the-crm-token-secret');
  });

  it('takes a session cookie for reads, and for writes only with its CSRF token from our own origin', async () => {
    const cookie = `theme=dark; wxcs_session=${SESSION_ID}`;
    expect(JSON.parse((await call({ cookie })).body)).toEqual({ caller: 'staff:li.lei' });
    expect((await call({ cookie }, 'POST')).status).toBe(403);
    expect((await call({ cookie, 'x-csrf-token': 'csrf-token-of-li-lei' }, 'POST')).status).toBe(200);
    expect((await call({ cookie, 'x-csrf-token': 'csrf-token-of-li-lei', 'sec-fetch-site': 'cross-site' }, 'POST')).status).toBe(403);
    expect((await call({ cookie: `wxcs_session=${'b'.repeat(43)}` })).status).toBe(401);
    expect((await call({ cookie: `__Host-wxcs_session=${SESSION_ID}` })).status, 'the secure name is not read when cookies are not secure').toBe(401);
  });
});
