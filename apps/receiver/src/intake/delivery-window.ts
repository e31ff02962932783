import type { IntakeOutcome } from './batcher.js';

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
  readonly expiresAt: number;
  readonly stored: Promise<IntakeOutcome>;
}

/**
 * Bounded memory of recent deliveries, so a captured callback replayed
 * many times costs one queue entry, not one per replay. Each receiver
 * replica has its own window; across replicas the deterministic job id
 * (the delivery key) makes BullMQ ignore the copy while the job exists.
 * A Map keeps insertion order, so the oldest entry is always the first.
 */
export function createDeliveryWindow(options: DeliveryWindowOptions): DeliveryWindow {
  const nowMs = options.nowMs ?? Date.now;
  const entries = new Map<string, Entry>();

  function evict(now: number): void {
    for (const [key, entry] of entries) {
      if (entries.size <= options.maxEntries && entry.expiresAt > now) return;
      entries.delete(key);
    }
  }

  return {
    admit: async (key, store) => {
      const now = nowMs();
      const seen = entries.get(key);
      if (seen && seen.expiresAt > now) {
        await seen.stored;
        return 'repeat';
      }
      if (seen) entries.delete(key);
      const entry: Entry = { expiresAt: now + options.ttlMs, stored: store() };
      entries.set(key, entry);
      evict(now);
      try {
        return await entry.stored;
      } catch (error) {
        if (entries.get(key) === entry) entries.delete(key);
        throw error;
      }
    },
    size: () => entries.size,
  };
}
