import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createMetricsRegistry } from '@wxcs/service';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { createAppRegistry } from './app-registry.js';
import { createReceiverMetrics } from './metrics.js';
import { captureLogger } from './testing/callbacks.js';

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** The app with stand-in intake and shutdown state; readiness logic only. */
async function serve(state: { shuttingDown: boolean; ready: boolean }): Promise<string> {
  const app = createApp({
    logger: captureLogger('silent').logger,
    registry: createAppRegistry([]),
    intake: { enqueue: () => Promise.resolve('queued'), isReady: () => Promise.resolve(state.ready) },
    metrics: createReceiverMetrics({ registry: createMetricsRegistry('receiver-test'), spoolDepth: () => 0 }),
    isShuttingDown: () => state.shuttingDown,
    bodyLimitBytes: 1024,
    timestampToleranceSeconds: 0,
  });
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('createApp probes', () => {
  it('is ready while the intake can take callbacks, and 503 when it cannot', async () => {
    const state = { shuttingDown: false, ready: true };
    const url = await serve(state);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    state.ready = false;
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('answers readiness 503 and closes keep-alive connections once shutdown has begun', async () => {
    const state = { shuttingDown: false, ready: true };
    const url = await serve(state);
    state.shuttingDown = true;
    const response = await fetch(`${url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'shutting_down' });
    expect(response.headers.get('connection')).toBe('close');
  });

  it('answers /wechat with 404 when no default app can be chosen', async () => {
    const url = await serve({ shuttingDown: false, ready: true });
    const response = await fetch(`${url}/wechat`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('no default app, use /wechat/<app>');
  });
});
