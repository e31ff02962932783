import { Router } from 'express';
import { TIMED_OUT, raceTimeout } from './race-timeout.js';

export interface ReadinessCheck {
  readonly name: string;
  /** Resolves true when the dependency is usable; must not hang (bound it). */
  readonly check: () => Promise<boolean>;
}

export interface HealthOptions {
  readonly isShuttingDown: () => boolean;
  readonly checks: readonly ReadinessCheck[];
  readonly timeoutMs?: number;
}

/** A dependency check bounded in time: a hang or a throw counts as "not reachable". */
export async function checkWithin(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const result = await raceTimeout(check().catch(() => false), timeoutMs);
  return result !== TIMED_OUT && result;
}

/** `/healthz`: the process is up. `/readyz`: dependencies answer and we are not shutting down. */
export function createHealthRouter(options: HealthOptions): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (options.isShuttingDown()) {
      res.status(503).json({ status: 'shutting_down' });
      return;
    }
    const results = await Promise.all(
      options.checks.map(async ({ name, check }) => [name, await checkWithin(check, options.timeoutMs ?? 1_000)] as const),
    );
    const ready = results.every(([, ok]) => ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(results) });
  });
  return router;
}
