import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { describeError } from './error-handler.js';
import { readBody } from './read-body.js';

const LIMIT = 64;

interface Served {
  readonly port: number;
  /** What readBody settled with, per request, in arrival order. */
  readonly results: Promise<string>[];
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server that reads each body with readBody and answers `<status> <what it read>`, as the receiver would. */
async function serve(): Promise<Served> {
  const results: Promise<string>[] = [];
  const server = createServer((req, res) => {
    const result = readBody(req, LIMIT).then(
      (body) => ({ status: 200, text: body === undefined ? 'no body' : `body ${body.toString('utf8')}` }),
      (error: unknown) => describeError(error),
    );
    results.push(
      result.then((answer) => {
        const text = 'text' in answer ? answer.text : answer.reason;
        res.writeHead(answer.status, { 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
        return `${answer.status} ${text}`;
      }),
    );
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, results };
}

/** Raw HTTP/1.1 so the tests control framing exactly; resolves with everything the server sent once `until` matches. */
async function raw(port: number, chunks: readonly string[], until: RegExp): Promise<{ text: string; socket: Socket }> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let text = '';
  const done = new Promise<void>((resolve) => {
    socket.on('data', (data: Buffer) => {
      text += data.toString('latin1');
      if (until.test(text)) resolve();
    });
  });
  for (const chunk of chunks) socket.write(chunk);
  await done;
  return { text, socket };
}

const post = (headers: string, body = '') => `POST /wechat HTTP/1.1\r\nHost: x\r\n${headers}\r\n${body}`;

describe('readBody', () => {
  it('reads a Content-Length body and a chunked body in several pieces byte for byte', async () => {
    const { port, results } = await serve();
    const first = await raw(port, [post('Content-Length: 7\r\n', '{"a":1}')], /\{"a":1\}$/);
    first.socket.destroy();
    const chunked = await raw(
      port,
      [post('Transfer-Encoding: chunked\r\n'), '3\r\n{"b\r\n', '4\r\n":"c\r\n', '2\r\n"}\r\n', '0\r\n\r\n'],
      /body \{"b":"c"\}$/,
    );
    chunked.socket.destroy();
    expect(await Promise.all(results)).toEqual(['200 body {"a":1}', '200 body {"b":"c"}']);
  });

  it('reports no body when there is neither Content-Length nor Transfer-Encoding, and an empty one for length 0', async () => {
    const { port, results } = await serve();
    const { socket } = await raw(port, [post(''), post('Content-Length: 0\r\n')], /body $/);
    socket.destroy();
    expect(await Promise.all(results)).toEqual(['200 no body', '200 body ']);
  });

  it('413 for a declared length over the limit, after reading it off, on a connection that stays usable', async () => {
    const { port, results } = await serve();
    const big = 'x'.repeat(LIMIT + 1);
    const { text, socket } = await raw(
      port,
      [post(`Content-Length: ${big.length}\r\n`, big), post('Content-Length: 2\r\n', 'ok')],
      /body ok$/,
    );
    socket.destroy();
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(await Promise.all(results)).toEqual(['413 body too large', '200 body ok']);
  });

  it('answers 413 only once the client has sent the whole body', async () => {
    const { port, results } = await serve();
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    let answered = false;
    socket.on('data', () => {
      answered = true;
    });
    socket.write(post(`Content-Length: ${LIMIT * 2}\r\n`, 'z'.repeat(LIMIT)));
    while (results.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    socket.write('z'.repeat(LIMIT));
    expect(await results[0]).toBe('413 body too large');
    socket.destroy();
  });

  it('413 for a chunked body that grows over the limit', async () => {
    const { port, results } = await serve();
    const piece = 'y'.repeat(40);
    const { socket } = await raw(
      port,
      [post('Transfer-Encoding: chunked\r\n'), `28\r\n${piece}\r\n`, `28\r\n${piece}\r\n`, '0\r\n\r\n'],
      /body too large$/,
    );
    socket.destroy();
    expect(await Promise.all(results)).toEqual(['413 body too large']);
  });

  it('refuses any Content-Encoding but identity with 415 before reading', async () => {
    const { port, results } = await serve();
    const { socket } = await raw(
      port,
      [post('Content-Encoding: gzip\r\nContent-Length: 2\r\n', 'ab'), post('Content-Encoding: Identity\r\nContent-Length: 2\r\n', 'cd')],
      /body cd$/,
    );
    socket.destroy();
    expect(await Promise.all(results)).toEqual(['415 encoding.unsupported', '200 body cd']);
  });

  it('400 request.aborted when the client goes away in the middle of the body', async () => {
    const { port, results } = await serve();
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(post('Content-Length: 50\r\n', 'only part'));
    while (results.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    socket.destroy();
    expect(await results[0]).toBe('400 request.aborted');
  });
});
