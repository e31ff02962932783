import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WechatAppConfig } from '@wxcs/config';
import type { InboundCallback } from '@wxcs/queue';
import { createMetricsRegistry } from '@wxcs/service';
import { createAppDirectory } from '@wxcs/wechat';
import { SAMPLE_APP, sampleCredentials, simulateCallback, simulateUrlVerification } from '@wxcs/wechat/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createPublicHandler } from './public-handler.js';
import { createDeliveryWindow } from './intake/delivery-window.js';
import { createReceiverMetrics } from './metrics.js';
import { captureLogger } from './testing/callbacks.js';
import { TEST_APPS } from './testing/requests.js';

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

interface Served {
  readonly url: string;
  readonly port: number;
  /** What the stand-in intake was given, in order. */
  readonly enqueued: InboundCallback[];
}

/** The public app with a stand-in intake that takes every callback. */
async function serve(options: { apps?: readonly WechatAppConfig[]; shuttingDown?: () => boolean } = {}): Promise<Served> {
  const enqueued: InboundCallback[] = [];
  const handle = createPublicHandler({
    logger: captureLogger('silent').logger,
    apps: createAppDirectory(options.apps ?? TEST_APPS),
    intake: {
      enqueue: (callback) => {
        enqueued.push(callback);
        return Promise.resolve('queued');
      },
    },
    deliveries: createDeliveryWindow({ maxEntries: 100, ttlMs: 60_000 }),
    metrics: createReceiverMetrics({ registry: createMetricsRegistry('receiver-test'), spoolDepth: () => 0 }),
    isShuttingDown: options.shuttingDown ?? (() => false),
    bodyLimitBytes: 4096,
    timestampToleranceSeconds: 0,
  });
  const server = createServer(handle).listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, enqueued };
}

const credentials = sampleCredentials();
const signed = (nonce: string) => simulateCallback({ app: credentials, message: 'text', format: 'json', mode: 'safe', nonce });

async function post(url: string, target: string, callback: ReturnType<typeof signed>): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}${target}?${new URLSearchParams(callback.query).toString()}`, {
    method: 'POST',
    headers: { 'content-type': callback.contentType },
    body: callback.body,
  });
  return { status: response.status, text: await response.text() };
}

describe('the public port', () => {
  it('queues callbacks sent to /wechat and /wechat/<app>, a trailing slash allowed', async () => {
    const { url, enqueued } = await serve();
    for (const [target, app] of [
      ['/wechat/shop', 'shop'],
      ['/wechat/shop/', 'shop'],
      ['/wechat', 'default'],
      ['/wechat/', 'default'],
    ] as const) {
      const callback = signed(`${target}-nonce`);
      expect(await post(url, target, callback), target).toMatchObject({ status: 200 });
      expect(enqueued.at(-1), target).toMatchObject({ app, body: callback.body, query: callback.query });
    }
    expect(enqueued).toHaveLength(4);
  });

  it('answers 404 for other spellings of a callback URL and queues nothing', async () => {
    const { url, enqueued } = await serve();
    for (const target of ['/WeChat/default', '/WECHAT', '/wechat//default', '/wechat/default/extra']) {
      expect(await post(url, target, signed(target)), target).toEqual({ status: 404, text: 'not found' });
    }
    // The app segment is looked up as sent, and names no configured app.
    for (const target of ['/wechat/Default', '/wechat/%64efault']) {
      expect(await post(url, target, signed(target)), target).toEqual({ status: 404, text: 'unknown app' });
    }
    expect(enqueued).toEqual([]);
  });

  it('answers 404 for an absolute-form request target', async () => {
    const { port, enqueued } = await serve();
    const callback = signed('absolute-form');
    const path = `http://127.0.0.1:${port}/wechat/default?${new URLSearchParams(callback.query).toString()}`;
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      req.on('error', reject);
      req.end(callback.body);
    });
    expect(status).toBe(404);
    expect(enqueued).toEqual([]);
  });

  it('answers GET and HEAD on a callback URL with the URL verification', async () => {
    const { url } = await serve();
    const { query } = simulateUrlVerification({ token: SAMPLE_APP.token, echostr: 'echo-me' });
    const search = new URLSearchParams(query).toString();
    const get = await fetch(`${url}/wechat/shop/?${search}`);
    expect([get.status, await get.text(), get.headers.get('x-content-type-options')]).toEqual([200, 'echo-me', 'nosniff']);
    const head = await fetch(`${url}/wechat?${search}`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([200, '7', '']);
    expect((await fetch(`${url}/wechat/shop?${search.replace('signature=', 'signature=0')}`)).status).toBe(401);
  });

  it('answers 404 to any other method and queues nothing', async () => {
    const { url, enqueued } = await serve();
    const callback = signed('wrong-method');
    const search = new URLSearchParams(callback.query).toString();
    for (const method of ['PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const response = await fetch(`${url}/wechat/default?${search}`, { method, body: method === 'OPTIONS' ? undefined : callback.body });
      expect([response.status, await response.text()], method).toEqual([404, 'not found']);
    }
    expect(enqueued).toEqual([]);
  });

  it('serves no probes or metrics: those live on the ops port', async () => {
    const { url } = await serve();
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      expect((await fetch(`${url}${path}`)).status, path).toBe(404);
    }
  });

  it('closes keep-alive connections once shutdown has begun', async () => {
    let shuttingDown = false;
    const { url } = await serve({ shuttingDown: () => shuttingDown });
    expect((await fetch(`${url}/healthz`)).headers.get('connection')).toBe('keep-alive');
    shuttingDown = true;
    for (const path of ['/wechat', '/healthz']) {
      const response = await fetch(`${url}${path}`, { method: 'POST', body: '{}' });
      expect(response.headers.get('connection'), path).toBe('close');
    }
  });

  it('answers /wechat with 404 when no default app can be chosen', async () => {
    const { url } = await serve({ apps: [] });
    const response = await fetch(`${url}/wechat`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('no default app, use /wechat/<app>');
  });
});
