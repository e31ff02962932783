import { createLogger } from '@wxcs/logger';
import { describe, expect, it } from 'vitest';
import { MAX_OUTAGE_PAUSE_MS, createOutageGuard } from './outage-guard.js';

const logger = createLogger({ name: 'test', level: 'silent' });

function guardWithClock(backoff = { baseMs: 1_000, maxMs: 600_000 }) {
  const pauses: number[] = [];
  let now = 0;
  const guard = createOutageGuard({
    rateLimit: (ms) => {
      pauses.push(ms);
      return Promise.resolve();
    },
    backoff,
    logger,
    now: () => now,
  });
  return { guard, pauses, advance: (ms: number) => (now += ms) };
}

describe('createOutageGuard', () => {
  it('pauses fetching once for all the jobs that hit the same outage', async () => {
    const { guard, pauses } = guardWithClock();
    await Promise.all([guard.pauseFetching(), guard.pauseFetching(), guard.pauseFetching()]);
    await guard.pauseFetching();
    expect(pauses).toHaveLength(1);
  });

  it('keeps pausing while the outage lasts, never past the cap, and starts small again once a row is stored', async () => {
    const { guard, pauses, advance } = guardWithClock();
    for (let i = 0; i < 12; i += 1) {
      await guard.pauseFetching();
      advance(MAX_OUTAGE_PAUSE_MS);
    }
    expect(pauses).toHaveLength(12);
    expect(Math.max(...pauses)).toBeLessThanOrEqual(MAX_OUTAGE_PAUSE_MS);
    expect(pauses.every((ms) => ms >= 500)).toBe(true);
    guard.recovered();
    await guard.pauseFetching();
    expect(pauses.at(-1)).toBeLessThanOrEqual(1_000);
  });
});
