import type { IntakeOutcome } from './enqueue-batcher.js';

/** `repeat`: an earlier delivery of the same callback is durable, nothing more was stored. */
export type DeliveryOutcome = IntakeOutcome | 'repeat';

export interface DeliveryWindowOptions {
  /** Most delivery keys remembered; the oldest is forgotten first. */
  readonly maxEntries: number;
  /** How long a key is remembered. */
  readonly ttlMs: number;
  readonly nowMs?: () => number;
}

export interface DeliveryWindow {
  /**
   * Runs `store` for the first delivery of `key`; a repeat within the window
   * waits until that first delivery is durable and stores nothing (it fails
   * if the first fails). A failed store is forgotten, so WeChat's next retry
   * gets a fresh attempt.
   */
  readonly admit: (key: string, store: () => Promise<IntakeOutcome>) => Promise<DeliveryOutcome>;
  readonly size: () => number;
}

interface Entry {
  readonly key: string;
  readonly expiresAt: number;
  readonly stored: Promise<IntakeOutcome>;
}

/**
 * Bounded memory of recent deliveries, so a captured callback replayed
 * many times costs one queue entry, not one per replay. Each receiver
 * replica has its own window; across replicas the deterministic job id
 * (the delivery key) makes BullMQ ignore the copy while the job exists.
 *
 * A Map finds a key; a queue in admission order says which entry is the
 * oldest, so forgetting it is constant time. (Iterating the Map from its
 * start instead walks past every slot deleted since V8 last compacted it:
 * with a full window of 100 000 keys that cost tens of microseconds per
 * callback.) An entry forgotten early (a failed store, a re-admitted
 * expired key) keeps its place in the queue until it reaches the front, so
 * the window may then hold a few keys fewer than `maxEntries`, never more.
 */
export function createDeliveryWindow(options: DeliveryWindowOptions): DeliveryWindow {
  const nowMs = options.nowMs ?? Date.now;
  const entries = new Map<string, Entry>();
  let order: (Entry | undefined)[] = [];
  let oldest = 0;

  function forgetOldest(): void {
    const entry = order[oldest];
    order[oldest] = undefined;
    oldest += 1;
    if (entry && entries.get(entry.key) === entry) entries.delete(entry.key);
    // Drop the forgotten front once it is most of the array: amortised constant time.
    if (oldest >= 1024 && oldest * 2 >= order.length) {
      order = order.slice(oldest);
      oldest = 0;
    }
  }

  function remember(entry: Entry, now: number): void {
    entries.set(entry.key, entry);
    order.push(entry);
    while (order.length - oldest > options.maxEntries) forgetOldest();
    while (oldest < order.length && (order[oldest]?.expiresAt ?? 0) <= now) forgetOldest();
  }

  return {
    admit: (key, store) => {
      const now = nowMs();
      const seen = entries.get(key);
      if (seen && seen.expiresAt > now) return seen.stored.then(() => 'repeat');
      if (seen) entries.delete(key);
      const entry: Entry = { key, expiresAt: now + options.ttlMs, stored: store() };
      remember(entry, now);
      // Returned as it is: a callback's own wait adds no promise of its own.
      entry.stored.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return entry.stored;
    },
    size: () => entries.size,
  };
}
