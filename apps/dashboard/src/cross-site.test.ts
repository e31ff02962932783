import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectCrossSiteWrites } from './cross-site.js';
import { listen, send, type Listening } from './testing/http.js';

describe('rejectCrossSiteWrites', () => {
  const refused: { method: string; path: string; reason: string }[] = [];
  let server: Listening;

  beforeAll(async () => {
    const app = express();
    app.use(rejectCrossSiteWrites({ onRejected: (rejection) => refused.push(rejection) }));
    app.all('/{*any}', (req, res) => {
      res.send(`done ${req.method}`);
    });
    server = await listen(app);
  });

  afterAll(() => server.close());

  const post = (headers: Record<string, string>, method = 'POST') => send(server.port, { method, path: '/act', headers });

  it.each([
    ['cross-site fetch metadata', { 'sec-fetch-site': 'cross-site' }],
    ['a sibling subdomain (same-site)', { 'sec-fetch-site': 'same-site' }],
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['our host on another port', { origin: 'http://127.0.0.1:1' }],
    ['the opaque null Origin', { origin: 'null' }],
    ['a foreign Referer without Origin', { referer: 'https://evil.example/page' }],
  ])('refuses %s', async (label, headers) => {
    const res = await post(headers);
    expect(res.status, label).toBe(403);
    expect(res.body).toMatch(/cross-site/i);
  });

  it("trusts the browser's cross-site verdict over an Origin that looks like ours", async () => {
    expect((await post({ 'sec-fetch-site': 'cross-site', origin: `http://127.0.0.1:${server.port}` })).status).toBe(403);
  });

  it.each(['PUT', 'PATCH', 'DELETE'])('guards %s as well', async (method) => {
    expect((await post({ origin: 'https://evil.example' }, method)).status).toBe(403);
  });

  it('lets same-origin requests through, by fetch metadata, Origin or Referer', async () => {
    const ours = `http://127.0.0.1:${server.port}`;
    expect((await post({ 'sec-fetch-site': 'same-origin', origin: ours })).status).toBe(200);
    expect((await post({ origin: ours })).status).toBe(200);
    expect((await post({ referer: `${ours}/dead-letters` })).status).toBe(200);
    // A proxy that rewrote Host: the browser still says same-origin, and that is what counts.
    expect((await post({ 'sec-fetch-site': 'same-origin', origin: 'https://ops.example.com' })).status).toBe(200);
  });

  it('lets non-browser clients (no Origin, Referer or fetch metadata) through', async () => {
    expect((await post({})).status).toBe(200);
  });

  it('never blocks reads, even cross-site ones', async () => {
    const res = await send(server.port, { path: '/act', headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' } });
    expect(res.status).toBe(200);
  });

  it('reports what it refused', () => {
    expect(refused).toContainEqual({ method: 'POST', path: '/act', reason: 'sec-fetch-site cross-site' });
    expect(refused).toContainEqual({ method: 'POST', path: '/act', reason: 'origin mismatch' });
    expect(refused).toContainEqual({ method: 'POST', path: '/act', reason: 'referer mismatch' });
  });
});
