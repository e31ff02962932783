export type DatabaseProbe = () => Promise<boolean>;

/**
 * Bounded, shared readiness probe: when a whole batch fails, its jobs ask at
 * once whether the database is reachable, and they share one query.
 */
export function createDatabaseProbe(check: () => Promise<boolean>, timeoutMs: number): DatabaseProbe {
  let running: Promise<boolean> | undefined;

  async function probe(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([check().catch(() => false), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  return () => {
    running ??= probe().finally(() => {
      running = undefined;
    });
    return running;
  };
}
