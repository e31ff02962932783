import { createHash } from 'node:crypto';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { callerOf, matchToken, parseBearer, requireBearerToken } from './bearer-auth.js';

const hashed = (name: string, token: string) => ({ name, hash: createHash('sha256').update(token).digest() });

describe('matchToken', () => {
  const tokens = [hashed('crm', 'crm-token-0123456789'), hashed('bot', 'bot-token-0123456789')];

  it('names the token that matches, whichever its place', () => {
    expect(matchToken('crm-token-0123456789', tokens)).toBe('crm');
    expect(matchToken('bot-token-0123456789', tokens)).toBe('bot');
  });

  it('matches nothing for a wrong, a longer, a shorter or an empty token', () => {
    for (const given of ['crm-token-012345678X', 'crm-token-0123456789x', 'crm-token-012345678', '', 'CRM-TOKEN-0123456789']) {
      expect(matchToken(given, tokens), given).toBeUndefined();
    }
  });

  it('compares every token even after a match', () => {
    let compared = 0;
    const counting = tokens.map((token) => ({
      name: token.name,
      get hash() {
        compared += 1;
        return token.hash;
      },
    }));
    expect(matchToken('crm-token-0123456789', counting)).toBe('crm');
    expect(compared).toBe(2);
  });
});

describe('parseBearer', () => {
  it('reads the token of a Bearer header, any case of the scheme', () => {
    expect(parseBearer('Bearer abc.DEF-123')).toBe('abc.DEF-123');
    expect(parseBearer('bearer   abc')).toBe('abc');
  });

  it('reads nothing from other schemes, spaces inside the token, or no header', () => {
    for (const header of [undefined, '', 'Basic YTpi', 'Bearer', 'Bearer ', 'Bearer a b', 'Token abc']) {
      expect(parseBearer(header), String(header)).toBeUndefined();
    }
  });
});

describe('requireBearerToken', () => {
  const app = express();
  const rejected: unknown[] = [];
  app.use(requireBearerToken({ tokens: [{ name: 'crm', token: 'crm-token-0123456789' }], onRejected: (attempt) => rejected.push(attempt) }));
  app.get('/who', (_req, res) => {
    res.json({ caller: callerOf(res) });
  });

  async function call(authorization?: string) {
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    try {
      const res = await fetch(`http://127.0.0.1:${port}/who`, { headers: authorization === undefined ? {} : { authorization } });
      return { status: res.status, challenge: res.headers.get('www-authenticate'), body: await res.text() };
    } finally {
      server.close();
    }
  }

  it('passes the caller name on for a known token', async () => {
    const res = await call('Bearer crm-token-0123456789');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ caller: 'crm' });
  });

  it('answers 401 with a Bearer challenge, and never echoes the token sent', async () => {
    const missing = await call();
    expect(missing.status).toBe(401);
    expect(missing.challenge).toBe('Bearer realm="wxcs-support"');
    const wrong = await call('Bearer not-the-crm-token-secret');
    expect(wrong.status).toBe(401);
    expect(wrong.challenge).toBe('Bearer realm="wxcs-support", error="invalid_token"');
    expect(wrong.body).toBe('{"error":"unauthorized"}');
    expect(rejected).toHaveLength(1);
    expect(JSON.stringify(rejected)).not.toContain('not-the-crm-token-secret');
  });
});
