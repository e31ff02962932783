import { checkWithin } from '@wxcs/service';

export type DatabaseProbe = () => Promise<boolean>;

/**
 * Bounded, shared readiness probe: when a whole batch fails, its jobs ask at
 * once whether the database is reachable, and they share one query.
 */
export function createDatabaseProbe(check: () => Promise<boolean>, timeoutMs: number): DatabaseProbe {
  let running: Promise<boolean> | undefined;

  return () => {
    running ??= checkWithin(check, timeoutMs).finally(() => {
      running = undefined;
    });
    return running;
  };
}
