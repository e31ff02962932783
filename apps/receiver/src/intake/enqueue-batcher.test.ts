import { describe, expect, it } from 'vitest';
import type { InboundCallback } from '@wxcs/queue';
import { IntakeUnavailableError, ReplicationShortError } from '../errors.js';
import { captureLogger, deferred, fakeCallback } from '../testing/callbacks.js';
import { createEnqueueBatcher, type EnqueueBatcherOptions } from './enqueue-batcher.js';

function harness(overrides: Partial<EnqueueBatcherOptions> & { addAll?: (batch: readonly InboundCallback[]) => Promise<void> } = {}) {
  const sent: string[][] = [];
  const spooled: string[][] = [];
  const batches: [number, string][] = [];
  const reasons: (string | undefined)[] = [];
  const batcher = createEnqueueBatcher({
    queue: {
      addAll: (callbacks) => {
        sent.push(callbacks.map((c) => c.query.nonce ?? ''));
        return overrides.addAll ? overrides.addAll(callbacks) : Promise.resolve();
      },
    },
    spool: overrides.spool ?? {
      append: (callbacks) => {
        spooled.push(callbacks.map((c) => c.query.nonce ?? ''));
        return Promise.resolve();
      },
    },
    timeoutMs: overrides.timeoutMs ?? 1_000,
    maxBatchSize: overrides.maxBatchSize ?? 100,
    logger: captureLogger('silent').logger,
    onBatch: (size, outcome, reason) => {
      batches.push([size, outcome]);
      reasons.push(reason);
    },
  });
  return { batcher, sent, spooled, batches, reasons };
}

const labels = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);

describe('createEnqueueBatcher', () => {
  it('sends everything enqueued in one event-loop turn as one batch, in order', async () => {
    const { batcher, sent, batches } = harness();
    const outcomes = await Promise.all(labels(5).map((label) => batcher.enqueue(fakeCallback(label))));
    expect(outcomes).toEqual(['queued', 'queued', 'queued', 'queued', 'queued']);
    expect(sent).toEqual([labels(5)]);
    expect(batches).toEqual([[5, 'queued']]);
  });

  it('starts a new batch in a later turn', async () => {
    const { batcher, sent } = harness();
    await batcher.enqueue(fakeCallback('a'));
    await batcher.enqueue(fakeCallback('b'));
    expect(sent).toEqual([['a'], ['b']]);
  });

  it('caps a batch at maxBatchSize without losing the rest', async () => {
    const { batcher, sent } = harness({ maxBatchSize: 2 });
    await Promise.all(labels(5).map((label) => batcher.enqueue(fakeCallback(label))));
    expect(sent).toEqual([
      ['c0', 'c1'],
      ['c2', 'c3'],
      ['c4'],
    ]);
  });

  it('spools the whole batch when Redis rejects it', async () => {
    const { batcher, spooled, batches } = harness({ addAll: () => Promise.reject(new Error('Connection is closed.')) });
    const outcomes = await Promise.all(labels(3).map((label) => batcher.enqueue(fakeCallback(label))));
    expect(outcomes).toEqual(['spooled', 'spooled', 'spooled']);
    expect(spooled).toEqual([labels(3)]);
    expect(batches).toEqual([[3, 'spooled']]);
  });

  it('spools the whole batch when Redis took it but too few replicas confirmed, and says so', async () => {
    const { batcher, spooled, reasons } = harness({ addAll: () => Promise.reject(new ReplicationShortError('0 of 1 replicas')) });
    const outcomes = await Promise.all(labels(2).map((label) => batcher.enqueue(fakeCallback(label))));
    expect(outcomes).toEqual(['spooled', 'spooled']);
    expect(spooled).toEqual([labels(2)]);
    expect(reasons).toEqual(['replicas']);
    await batcher.enqueue(fakeCallback('next'));
    expect(spooled).toEqual([labels(2), ['next']]);
  });

  it('gives no reason for a queued batch and tells a refusal from a replication shortfall', async () => {
    let fail = false;
    const { batcher, reasons } = harness({ addAll: () => (fail ? Promise.reject(new Error('READONLY')) : Promise.resolve()) });
    await batcher.enqueue(fakeCallback('a'));
    fail = true;
    await batcher.enqueue(fakeCallback('b'));
    expect(reasons).toEqual([undefined, 'rejected']);
  });

  it('spools after the timeout when Redis hangs, and a late success changes nothing', async () => {
    const late = deferred();
    const { batcher, spooled } = harness({ addAll: () => late.promise, timeoutMs: 20 });
    const outcome = await batcher.enqueue(fakeCallback('slow'));
    expect(outcome).toBe('spooled');
    expect(spooled).toEqual([['slow']]);
    late.resolve();
    await batcher.flush();
    expect(spooled).toEqual([['slow']]);
  });

  it('answers IntakeUnavailableError to every caller when the spool fails too', async () => {
    const { batcher, batches } = harness({
      addAll: () => Promise.reject(new Error('down')),
      spool: { append: () => Promise.reject(new Error('ENOSPC')) },
    });
    const results = await Promise.allSettled(labels(2).map((label) => batcher.enqueue(fakeCallback(label))));
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(IntakeUnavailableError);
    }
    expect(batches).toEqual([[2, 'failed']]);
  });

  it('flush() sends what is pending and waits for batches in flight', async () => {
    const gate = deferred();
    const { batcher, sent } = harness({ addAll: () => gate.promise });
    let settled = false;
    const pending = batcher.enqueue(fakeCallback('x')).then(() => (settled = true));
    const flushed = batcher.flush();
    expect(sent).toEqual([['x']]);
    await Promise.resolve();
    expect(settled).toBe(false);
    gate.resolve();
    await flushed;
    expect(settled).toBe(true);
    await pending;
  });

  it('while an add is overdue, spools new batches without touching Redis, then returns to Redis', async () => {
    const late = deferred();
    let calls = 0;
    const { batcher, sent, spooled } = harness({
      timeoutMs: 20,
      addAll: () => (++calls === 1 ? late.promise : Promise.resolve()),
    });
    expect(await batcher.enqueue(fakeCallback('first'))).toBe('spooled');
    expect(batcher.isStalled()).toBe(true);
    expect(await batcher.enqueue(fakeCallback('second'))).toBe('spooled');
    expect(sent).toEqual([['first']]);
    expect(spooled).toEqual([['first'], ['second']]);
    late.resolve();
    await late.promise;
    expect(batcher.isStalled()).toBe(false);
    expect(await batcher.enqueue(fakeCallback('third'))).toBe('queued');
    expect(sent).toEqual([['first'], ['third']]);
  });
});
