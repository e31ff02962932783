import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@wxcs/logger';
import type { InboundCallback } from '@wxcs/queue';

/** A structurally valid callback for intake tests that do not care about signatures. */
export function fakeCallback(label: string): InboundCallback {
  return {
    v: 1,
    callbackId: randomUUID(),
    app: 'default',
    receivedAt: new Date().toISOString(),
    body: `{"ToUserName":"gh_test","Content":"${label}"}`,
    contentType: 'application/json',
    query: { nonce: label },
  };
}

/** A logger whose output tests can read back. */
export function captureLogger(level: 'debug' | 'info' | 'silent' = 'info'): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: createLogger({ name: 'receiver-test', level, destination }), text: () => lines.join('') };
}

/** A promise with its resolve/reject handles, for fakes that settle when a test says so. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
