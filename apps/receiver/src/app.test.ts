import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createMetricsRegistry } from '@wxcs/service';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { createAppRegistry } from './app-registry.js';
import { createDeliveryWindow } from './intake/delivery-window.js';
import { createReceiverMetrics } from './metrics.js';
import { captureLogger } from './testing/callbacks.js';

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** The public app with a stand-in intake. */
async function serve(state: { shuttingDown: boolean }): Promise<string> {
  const app = createApp({
    logger: captureLogger('silent').logger,
    registry: createAppRegistry([]),
    intake: { enqueue: () => Promise.resolve('queued') },
    deliveries: createDeliveryWindow({ maxEntries: 10, ttlMs: 1_000 }),
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

describe('the public app', () => {
  it('serves no probes or metrics: those live on the ops port', async () => {
    const url = await serve({ shuttingDown: false });
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      expect((await fetch(`${url}${path}`)).status, path).toBe(404);
    }
  });

  it('closes keep-alive connections once shutdown has begun', async () => {
    const state = { shuttingDown: false };
    const url = await serve(state);
    state.shuttingDown = true;
    const response = await fetch(`${url}/wechat`, { method: 'POST', body: '{}' });
    expect(response.headers.get('connection')).toBe('close');
  });

  it('answers /wechat with 404 when no default app can be chosen', async () => {
    const url = await serve({ shuttingDown: false });
    const response = await fetch(`${url}/wechat`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('no default app, use /wechat/<app>');
  });
});
