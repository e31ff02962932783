import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InboundCallback } from '@wxcs/queue';
import { ReplicationShortError } from '../errors.js';
import { captureLogger, fakeCallback } from '../testing/callbacks.js';
import { createSpoolDrainer, type DrainTarget } from './spool-drainer.js';
import { openSpool, type Spool } from './spool.js';

let root: string;
let spool: Spool;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'receiver-drain-'));
  spool = await openSpool({ dir: join(root, 'spool') });
});

afterEach(async () => {
  await spool.close();
  await rm(root, { recursive: true, force: true });
});

/** Records job ids like Redis would (a repeated id is ignored) and can fail on demand. */
function fakeQueue(options: { failOnCall?: number } = {}) {
  const ids: string[] = [];
  const calls: string[][] = [];
  const target: DrainTarget = {
    isConnected: () => true,
    addAll: (callbacks: readonly InboundCallback[]) => {
      calls.push(callbacks.map((c) => c.query.nonce ?? ''));
      if (calls.length === options.failOnCall) return Promise.reject(new Error('Connection is closed.'));
      for (const c of callbacks) if (!ids.includes(c.callbackId)) ids.push(c.callbackId);
      return Promise.resolve();
    },
  };
  return { target, ids, calls };
}

function drainerFor(target: DrainTarget, batchSize = 2) {
  return createSpoolDrainer({
    spool,
    queue: target,
    logger: captureLogger('silent').logger,
    batchSize,
    intervalMs: 60_000,
    timeoutMs: 1_000,
  });
}

describe('createSpoolDrainer', () => {
  it('keeps the spool while replicas do not confirm, and says so once rather than every tick', async () => {
    await spool.append(['a', 'b'].map(fakeCallback));
    let attempts = 0;
    const target: DrainTarget = {
      isConnected: () => true,
      addAll: () => {
        attempts += 1;
        return Promise.reject(new ReplicationShortError('0 of 1 replicas confirmed within 10 ms'));
      },
    };
    const { logger, text } = captureLogger('info');
    const drainer = createSpoolDrainer({ spool, queue: target, logger, batchSize: 2, intervalMs: 5, timeoutMs: 1_000 });
    drainer.start();
    // Several ticks, however slowly a busy machine runs them.
    await vi.waitFor(() => expect(attempts).toBeGreaterThan(3), { timeout: 10_000, interval: 5 });
    await drainer.stop();
    expect(spool.depth()).toBe(2);
    expect(text().match(/waiting for replicas/g)).toHaveLength(1);
    expect(text()).not.toMatch(/drain interrupted/);
  });

  it('moves every spooled callback in order and empties the spool', async () => {
    const callbacks = ['a', 'b', 'c', 'd', 'e'].map(fakeCallback);
    await spool.append(callbacks.slice(0, 3));
    await spool.sealedSegments();
    await spool.append(callbacks.slice(3));
    const queue = fakeQueue();
    expect(await drainerFor(queue.target).drainNow()).toBe(5);
    expect(queue.ids).toEqual(callbacks.map((c) => c.callbackId));
    expect(queue.calls).toEqual([['a', 'b'], ['c'], ['d', 'e']]);
    expect(spool.depth()).toBe(0);
    expect(await readdir(join(root, 'spool'))).toEqual([]);
  });

  it('keeps a segment until all of it is in the queue, and a retry adds nothing twice', async () => {
    const callbacks = ['a', 'b', 'c', 'd'].map(fakeCallback);
    await spool.append(callbacks);
    const queue = fakeQueue({ failOnCall: 2 });
    const drainer = drainerFor(queue.target);
    await expect(drainer.drainNow()).rejects.toThrow('Connection is closed.');
    expect(spool.depth()).toBe(4);
    expect(await drainer.drainNow()).toBe(4);
    expect(queue.calls).toEqual([['a', 'b'], ['c', 'd'], ['a', 'b'], ['c', 'd']]);
    expect(queue.ids).toEqual(callbacks.map((c) => c.callbackId));
    expect(spool.depth()).toBe(0);
  });

  it('does nothing while Redis is disconnected', async () => {
    await spool.append([fakeCallback('a')]);
    const queue = fakeQueue();
    const drainer = drainerFor({ ...queue.target, isConnected: () => false });
    drainer.start();
    await drainer.stop();
    expect(queue.calls).toEqual([]);
    expect(spool.depth()).toBe(1);
  });

  it('drains on start(), as after a restart with a non-empty spool', async () => {
    await spool.append([fakeCallback('left-over')]);
    const queue = fakeQueue();
    const drainer = drainerFor(queue.target);
    drainer.start();
    await drainer.drainNow();
    await drainer.stop();
    expect(queue.calls).toEqual([['left-over']]);
    expect(spool.depth()).toBe(0);
  });

  it('sets a segment with unreadable lines aside instead of deleting it', async () => {
    await spool.append([fakeCallback('a')]);
    const [segment] = await spool.sealedSegments();
    await appendFile(join(root, 'spool', segment!.name), 'garbage\n');
    const queue = fakeQueue();
    expect(await drainerFor(queue.target).drainNow()).toBe(1);
    expect(await readdir(join(root, 'spool'))).toEqual([`${segment!.name}.rejected`]);
  });
});
