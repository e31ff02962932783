import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WechatApiError } from './errors.js';
import { exchange, failedBeforeSending, readJsonAnswer, type Fetch } from './http.js';

const PATH = '/cgi-bin/message/custom/send';
const request = { method: 'POST', body: '{}' } as const;

function fetchFailing(cause: unknown): Fetch {
  return () => Promise.reject(new TypeError('fetch failed', { cause }));
}

const answering =
  (status: number, body: string): Fetch =>
  () =>
    Promise.resolve(new Response(body, { status }));

async function failureOf(fetch: Fetch, timeoutMs = 1_000): Promise<WechatApiError> {
  const error = await exchange({ baseUrl: 'http://wechat.invalid', fetch, timeoutMs }, PATH, request).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(WechatApiError);
  return error as WechatApiError;
}

function coded(code: string): Error {
  return Object.assign(new Error(code), { code });
}

describe('failedBeforeSending', () => {
  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'CERT_HAS_EXPIRED'])(
    '%s: the request never left',
    (code) => {
      expect(failedBeforeSending(new TypeError('fetch failed', { cause: coded(code) }))).toBe(true);
    },
  );

  it.each(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ETIMEDOUT', 'SOMETHING_NEW'])('%s: the request may have been read', (code) => {
    expect(failedBeforeSending(new TypeError('fetch failed', { cause: coded(code) }))).toBe(false);
  });

  it('an error without any code may have come after sending', () => {
    expect(failedBeforeSending(new TypeError('fetch failed'))).toBe(false);
    expect(failedBeforeSending('a string')).toBe(false);
  });

  it('a connection tried on several addresses: never sent only if every address refused', () => {
    const refusedEverywhere = Object.assign(new AggregateError([coded('ECONNREFUSED'), coded('ENETUNREACH')]), { code: 'ECONNREFUSED' });
    expect(failedBeforeSending(new TypeError('fetch failed', { cause: refusedEverywhere }))).toBe(true);
    const oneReset = new AggregateError([coded('ECONNREFUSED'), coded('ECONNRESET')]);
    expect(failedBeforeSending(new TypeError('fetch failed', { cause: oneReset }))).toBe(false);
  });

  it('stops on a cause that points back at itself', () => {
    const looping: Error & { cause?: unknown } = coded('ECONNREFUSED');
    looping.cause = looping;
    expect(failedBeforeSending(looping)).toBe(true);
  });
});

describe('mayHaveArrived', () => {
  it('is false when no connection was made', async () => {
    expect(await failureOf(fetchFailing(coded('ECONNREFUSED')))).toMatchObject({ kind: 'transient', errmsg: 'network error', mayHaveArrived: false });
  });

  it('is true when the connection broke after it was made', async () => {
    expect(await failureOf(fetchFailing(coded('ECONNRESET')))).toMatchObject({ kind: 'transient', mayHaveArrived: true });
  });

  it('is true on a timeout, whatever it interrupted', async () => {
    const never: Fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error));
      });
    expect(await failureOf(never, 50)).toMatchObject({ kind: 'transient', errmsg: 'no answer within 50 ms', mayHaveArrived: true });
  });

  it('is false for a status the server gives as its own refusal, true for a gateway’s 502 and 504', async () => {
    expect(await failureOf(answering(503, 'busy'))).toMatchObject({ kind: 'transient', status: 503, mayHaveArrived: false });
    expect(await failureOf(answering(500, 'oops'))).toMatchObject({ kind: 'transient', status: 500, mayHaveArrived: false });
    expect(await failureOf(answering(404, ''))).toMatchObject({ kind: 'permanent', status: 404, mayHaveArrived: false });
    expect(await failureOf(answering(502, 'bad gateway'))).toMatchObject({ kind: 'transient', mayHaveArrived: true });
    expect(await failureOf(answering(504, 'gateway timeout'))).toMatchObject({ kind: 'transient', mayHaveArrived: true });
  });

  it('is false for WeChat’s own error answer, true for a 200 that is not WeChat’s JSON', async () => {
    const answer = (body: string) => ({ status: 200, contentType: 'application/json', contentDisposition: null, bytes: new TextEncoder().encode(body) });
    const refused = (() => {
      try {
        readJsonAnswer(PATH, answer('{"errcode":-1,"errmsg":"system error rid: 1-2-3"}'));
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refused).toMatchObject({ kind: 'transient', errcode: -1, mayHaveArrived: false });
    expect(() => readJsonAnswer(PATH, answer('<html>proxy</html>'))).toThrow(expect.objectContaining({ mayHaveArrived: true }) as Error);
  });
});

describe('over a real socket', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function serve(onRequest: RequestListener): Promise<string> {
    server = createServer(onRequest);
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('a server that reads the request and drops the connection: may have arrived', async () => {
    let received = 0;
    const baseUrl = await serve((req) => {
      req.on('data', () => undefined);
      req.on('end', () => {
        received += 1;
        req.socket.destroy();
      });
    });
    const error = await exchange({ baseUrl, fetch, timeoutMs: 2_000 }, PATH, request).catch((reason: unknown) => reason);
    expect(received).toBe(1);
    expect(error).toMatchObject({ kind: 'transient', errmsg: 'network error', mayHaveArrived: true });
  });

  it('nobody listening: never arrived', async () => {
    const baseUrl = await serve(() => undefined);
    await new Promise((resolve) => server?.close(resolve));
    const error = await exchange({ baseUrl, fetch, timeoutMs: 2_000 }, PATH, request).catch((reason: unknown) => reason);
    expect(error).toMatchObject({ kind: 'transient', errmsg: 'network error', mayHaveArrived: false });
  });
});
