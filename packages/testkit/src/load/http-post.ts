import { Agent, request } from 'node:http';

export interface PostResult {
  /** 0 when no response arrived (connection refused or reset, timeout). */
  readonly status: number;
  readonly text: string;
  readonly latencyMs: number;
  readonly error?: string;
}

/** Only loopback targets: the load generator must never be pointed at anything real. */
export function assertLoopback(url: URL): void {
  if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(`load only goes to http://127.0.0.1, not ${url.origin}`);
  }
}

/**
 * Keep-alive sockets idle for 2 s are closed by us, before the server's 5 s
 * keep-alive timeout: otherwise a request written to a socket the server is
 * closing at that instant dies with ECONNRESET, a client artefact that would
 * be counted against the receiver.
 */
export function createLoadAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, timeout: 2_000, scheduling: 'fifo' });
}

/** One POST with a hard deadline; never rejects. */
export function postOnce(p: {
  agent: Agent;
  url: URL;
  body: string;
  contentType: string;
  timeoutMs: number;
}): Promise<PostResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (status: number, text: string, error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const latencyMs = performance.now() - started;
      resolve(error === undefined ? { status, text, latencyMs } : { status, text, latencyMs, error });
    };
    const req = request(
      {
        host: p.url.hostname,
        port: p.url.port,
        path: `${p.url.pathname}${p.url.search}`,
        method: 'POST',
        agent: p.agent,
        headers: { 'content-type': p.contentType, 'content-length': Buffer.byteLength(p.body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => finish(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
        res.on('error', (error) => finish(0, '', error.message));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish(0, '', 'timeout');
    }, p.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => finish(0, '', error.code ?? error.message));
    req.end(p.body);
  });
}
