import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@wxcs/logger';
import { createShutdown } from './shutdown.js';

const silent = createLogger({ name: 'test', level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

function setup(timeoutMs = 1_000) {
  const exits: number[] = [];
  const order: string[] = [];
  const shutdown = createShutdown({ logger: silent, timeoutMs, exit: (code) => exits.push(code) });
  return { shutdown, exits, order };
}

describe('createShutdown', () => {
  it('runs steps in registration order once, however many signals arrive', async () => {
    const { shutdown, exits, order } = setup();
    shutdown.register({ name: 'server', run: async () => void order.push('server') });
    shutdown.register({ name: 'redis', run: async () => void order.push('redis') });
    expect(shutdown.isShuttingDown()).toBe(false);
    const first = shutdown.shutdown('SIGTERM');
    const second = shutdown.shutdown('SIGINT');
    expect(shutdown.isShuttingDown()).toBe(true);
    await Promise.all([first, second]);
    expect(order).toEqual(['server', 'redis']);
    expect(exits).toEqual([0]);
  });

  it('keeps going after a failed step and exits non-zero', async () => {
    const { shutdown, exits, order } = setup();
    shutdown.register({ name: 'bad', run: () => Promise.reject(new Error('boom')) });
    shutdown.register({ name: 'good', run: async () => void order.push('good') });
    await shutdown.shutdown('SIGTERM');
    expect(order).toEqual(['good']);
    expect(exits).toEqual([1]);
  });

  it('ends a stuck shutdown at the deadline with a non-zero exit', async () => {
    const { shutdown, exits } = setup(50);
    shutdown.register({ name: 'stuck', run: () => new Promise(() => undefined) });
    await shutdown.shutdown('SIGTERM');
    expect(exits).toEqual([1]);
  });

  it('listens to signals and can stop listening', async () => {
    const { shutdown, exits } = setup();
    const unlisten = shutdown.listen(['SIGUSR2']);
    process.emit('SIGUSR2', 'SIGUSR2');
    unlisten();
    await shutdown.shutdown('again');
    expect(exits).toEqual([0]);
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });
});
