import { describe, expect, it } from 'vitest';
import type { IntakeOutcome } from './enqueue-batcher.js';
import { createDeliveryWindow } from './delivery-window.js';

function counter(outcome: IntakeOutcome = 'queued') {
  let calls = 0;
  return { store: () => ((calls += 1), Promise.resolve(outcome)), calls: () => calls };
}

describe('createDeliveryWindow', () => {
  it('stores the first delivery of a key and answers repeats without storing', async () => {
    const window = createDeliveryWindow({ maxEntries: 10, ttlMs: 1_000 });
    const sink = counter('spooled');
    expect(await window.admit('a', sink.store)).toBe('spooled');
    expect(await window.admit('a', sink.store)).toBe('repeat');
    expect(await window.admit('b', sink.store)).toBe('spooled');
    expect(sink.calls()).toBe(2);
  });

  it('holds a repeat until the first delivery is durable', async () => {
    const window = createDeliveryWindow({ maxEntries: 10, ttlMs: 1_000 });
    let finish: (outcome: IntakeOutcome) => void = () => undefined;
    const first = window.admit('a', () => new Promise((resolve) => (finish = resolve)));
    let repeatSettled = false;
    const repeat = window.admit('a', () => Promise.resolve('queued')).then((outcome) => ((repeatSettled = true), outcome));
    await Promise.resolve();
    expect(repeatSettled).toBe(false);
    finish('queued');
    expect(await first).toBe('queued');
    expect(await repeat).toBe('repeat');
  });

  it('forgets a failed store so the next delivery tries again, and fails its waiting repeats', async () => {
    const window = createDeliveryWindow({ maxEntries: 10, ttlMs: 1_000 });
    const failing = window.admit('a', () => Promise.reject(new Error('redis and spool down')));
    const repeat = window.admit('a', () => Promise.resolve('queued'));
    await expect(failing).rejects.toThrow('redis and spool down');
    await expect(repeat).rejects.toThrow('redis and spool down');
    const sink = counter();
    expect(await window.admit('a', sink.store)).toBe('queued');
    expect(sink.calls()).toBe(1);
  });

  it('forgets keys after their time to live', async () => {
    let now = 0;
    const window = createDeliveryWindow({ maxEntries: 10, ttlMs: 1_000, nowMs: () => now });
    const sink = counter();
    await window.admit('a', sink.store);
    now = 999;
    expect(await window.admit('a', sink.store)).toBe('repeat');
    now = 1_000;
    expect(await window.admit('a', sink.store)).toBe('queued');
    expect(sink.calls()).toBe(2);
  });

  it('never holds more than maxEntries keys, forgetting the oldest first', async () => {
    const window = createDeliveryWindow({ maxEntries: 3, ttlMs: 60_000 });
    const sink = counter();
    for (const key of ['a', 'b', 'c', 'd']) await window.admit(key, sink.store);
    expect(window.size()).toBe(3);
    expect(await window.admit('d', sink.store)).toBe('repeat');
    expect(await window.admit('a', sink.store)).toBe('queued');
    expect(sink.calls()).toBe(5);
  });

  it('keeps forgetting in admission order across thousands of keys, failed and expired ones included', async () => {
    let now = 0;
    const window = createDeliveryWindow({ maxEntries: 100, ttlMs: 60_000, nowMs: () => now });
    const sink = counter();
    await window.admit('failed', () => Promise.reject(new Error('down'))).catch(() => undefined);
    for (let i = 0; i < 5_000; i += 1) await window.admit(`k${i}`, sink.store);
    expect(window.size()).toBe(100);
    expect(await window.admit('k4900', sink.store)).toBe('repeat');
    expect(await window.admit('k4999', sink.store)).toBe('repeat');
    expect(await window.admit('k4899', sink.store)).toBe('queued');
    now = 60_000;
    expect(await window.admit('k4999', sink.store)).toBe('queued');
    expect(window.size()).toBe(1);
  });
});
