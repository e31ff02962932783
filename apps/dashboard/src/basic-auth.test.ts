import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBasicAuth, requireBasicAuth } from './basic-auth.js';
import { basicAuth, listen, send, type Listening } from './testing/http.js';

describe('parseBasicAuth', () => {
  it('splits at the first colon, so passwords may contain colons', () => {
    expect(parseBasicAuth(basicAuth('ops', 'a:b:c'))).toEqual({ user: 'ops', password: 'a:b:c' });
  });

  it('reads UTF-8 and accepts the scheme in any case', () => {
    const header = basicAuth('运维', 'pässwörd').replace('Basic', 'bAsIc');
    expect(parseBasicAuth(header)).toEqual({ user: '运维', password: 'pässwörd' });
  });

  it('rejects other schemes, missing colons and garbage', () => {
    expect(parseBasicAuth(undefined)).toBeUndefined();
    expect(parseBasicAuth('Bearer abc')).toBeUndefined();
    expect(parseBasicAuth(`Basic ${Buffer.from('nocolon').toString('base64')}`)).toBeUndefined();
    expect(parseBasicAuth('Basic ***')).toBeUndefined();
  });
});

describe('requireBasicAuth', () => {
  const refused: (string | undefined)[] = [];
  let server: Listening;

  beforeAll(async () => {
    const app = express();
    app.use(
      requireBasicAuth({
        credentials: { user: 'ops', password: 's3cret:pass' },
        realm: 'Test "realm"',
        onRejected: ({ ip }) => refused.push(ip),
      }),
    );
    app.get('/', (_req, res) => {
      res.json({ operator: res.locals.operator as string });
    });
    server = await listen(app);
  });

  afterAll(() => server.close());

  it('challenges a request without credentials', async () => {
    const res = await send(server.port, { path: '/' });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="Test realm", charset="UTF-8"');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(refused).toEqual([]);
  });

  it.each([
    ['wrong password', basicAuth('ops', 's3cret:pasS')],
    ['wrong user', basicAuth('Ops', 's3cret:pass')],
    ['password prefix', basicAuth('ops', 's3cret')],
    ['empty', basicAuth('', '')],
  ])('refuses a %s', async (_label, header) => {
    const res = await send(server.port, { path: '/', headers: { authorization: header } });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic /);
  });

  it('reports refused attempts without the credentials', () => {
    expect(refused).toHaveLength(4);
    expect(refused.every((ip) => ip === '127.0.0.1' || ip === '::ffff:127.0.0.1')).toBe(true);
  });

  it('lets the right credentials through and names the operator', async () => {
    const res = await send(server.port, { path: '/', headers: { authorization: basicAuth('ops', 's3cret:pass') } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ operator: 'ops' });
  });
});
