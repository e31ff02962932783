import { connect } from 'node:net';

export interface RawExchange {
  /** Status of the first response, 0 when none came. */
  readonly status: number;
  /** Everything the server sent. */
  readonly response: string;
  /** The server closed the connection (as opposed to our deadline ending it). */
  readonly closedByServer: boolean;
  readonly elapsedMs: number;
}

export interface RawRequestOptions {
  readonly port: number;
  /** Chunks written in order, `delayMs` apart (a slow client trickles them). */
  readonly chunks: readonly (string | Buffer)[];
  readonly delayMs?: number;
  /** We give up (and close) after this long. */
  readonly deadlineMs: number;
}

/**
 * Speaks HTTP/1.1 by hand over a socket to 127.0.0.1, for requests fetch
 * refuses to make (raw CR/LF, lying Content-Length, a body trickled byte by
 * byte) and to see when the server hangs up.
 */
export function rawRequest(options: RawRequestOptions): Promise<RawExchange> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: options.port });
    let response = '';
    let done = false;
    let writer: NodeJS.Timeout | undefined;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      clearTimeout(writer);
      socket.destroy();
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(response)?.[1] ?? 0);
      resolve({ status, response, closedByServer, elapsedMs: performance.now() - started });
    };
    const deadline = setTimeout(() => finish(false), options.deadlineMs);
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('latin1')));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    let next = 0;
    const writeNext = () => {
      if (done || next >= options.chunks.length) return;
      const chunk = options.chunks[next] as string | Buffer;
      next += 1;
      socket.write(chunk, () => {
        writer = setTimeout(writeNext, options.delayMs ?? 0);
      });
    };
    socket.on('connect', writeNext);
  });
}
