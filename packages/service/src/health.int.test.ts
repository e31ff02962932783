import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthRouter } from './health.js';
import { createMetricsRegistry, metricsHandler } from './metrics.js';

let close: (() => void) | undefined;
afterEach(() => close?.());

async function serve(app: express.Express): Promise<string> {
  const server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  close = () => server.close();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('createHealthRouter', () => {
  it('is live always, ready only when every check passes and not shutting down', async () => {
    let shuttingDown = false;
    let redisUp = true;
    const app = express();
    app.use(
      createHealthRouter({
        isShuttingDown: () => shuttingDown,
        checks: [
          { name: 'redis', check: () => Promise.resolve(redisUp) },
          { name: 'slow', check: () => new Promise((resolve) => setTimeout(() => resolve(true), 10)) },
        ],
      }),
    );
    const base = await serve(app);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { redis: true, slow: true } });
    redisUp = false;
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ checks: { redis: false } });
    redisUp = true;
    shuttingDown = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('treats a hanging or throwing check as not ready instead of hanging the probe', async () => {
    const app = express();
    app.use(
      createHealthRouter({
        isShuttingDown: () => false,
        timeoutMs: 50,
        checks: [
          { name: 'hangs', check: () => new Promise(() => undefined) },
          { name: 'throws', check: () => Promise.reject(new Error('down')) },
        ],
      }),
    );
    const base = await serve(app);
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'not_ready', checks: { hangs: false, throws: false } });
  });
});

describe('metrics', () => {
  it('serves Prometheus text from a private registry', async () => {
    const registry = createMetricsRegistry('svc');
    const app = express();
    app.get('/metrics', metricsHandler(registry));
    const base = await serve(app);
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toMatch(/process_resident_memory_bytes\{service="svc"\}/);
  });
});
