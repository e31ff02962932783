import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogger } from '../testing/callbacks.js';
import { createRequestLog, requestFacts, requestLogger } from './request-log.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server that tracks each request, answers the status named in `?status=`, and says what it learnt. */
async function serve(): Promise<{ url: string; lines: () => Record<string, unknown>[] }> {
  const log = captureLogger('debug');
  const startRequest = createRequestLog(log.logger);
  const server = createServer((req, res) => {
    startRequest(req, res);
    const status = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('status') ?? 200);
    const facts = requestFacts(res);
    facts.app = 'default';
    if (status === 200) facts.outcome = 'queued';
    else facts.reason = 'bad signature';
    requestLogger(res).debug({ step: 'handled' }, 'inside the request');
    res.writeHead(status).end();
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const lines = () =>
    log
      .text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, lines };
}

async function waitForLines(lines: () => unknown[], count: number): Promise<void> {
  while (lines().length < count) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('createRequestLog', () => {
  it('logs one line per request with its id, method, path without the query, status and what the handler reported (debug when answered)', async () => {
    const { url, lines } = await serve();
    const response = await fetch(`${url}/wechat/default?signature=SECRET-SIG&openid=SECRET-OPENID`, { method: 'POST', body: 'x' });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f]{12}-1$/);
    await waitForLines(lines, 2);
    const [inside, completed] = lines();
    expect(inside).toMatchObject({ level: 'debug', reqId: id, step: 'handled' });
    expect(completed).toMatchObject({
      level: 'debug',
      msg: 'request completed',
      reqId: id,
      req: { id, method: 'POST', path: '/wechat/default' },
      res: { statusCode: 200 },
      app: 'default',
      outcome: 'queued',
    });
    expect(typeof completed?.responseTime).toBe('number');
    expect(JSON.stringify(lines())).not.toMatch(/SECRET/);
  });

  it("keeps a caller's sane x-request-id and replaces anything else", async () => {
    const { url } = await serve();
    const sane = await fetch(url, { headers: { 'x-request-id': 'trace-42.a_b' } });
    expect(sane.headers.get('x-request-id')).toBe('trace-42.a_b');
    for (const insane of ['a b', 'x'.repeat(65), 'a;b']) {
      const response = await fetch(url, { headers: { 'x-request-id': insane } });
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    }
  });

  it('logs 4xx as warn and 5xx as error with the reason', async () => {
    const { url, lines } = await serve();
    await fetch(`${url}/wechat?status=401`);
    await fetch(`${url}/wechat?status=503`);
    await waitForLines(lines, 4);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const completed = lines().filter((line) => line.msg !== 'inside the request');
    expect(completed).toHaveLength(2);
    expect(completed[0]).toMatchObject({ level: 'warn', res: { statusCode: 401 }, reason: 'bad signature' });
    expect(completed[1]).toMatchObject({ level: 'error', msg: 'request errored', res: { statusCode: 503 } });
  });
});
