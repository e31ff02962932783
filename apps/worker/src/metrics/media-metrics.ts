import { TIMED_OUT, raceTimeout } from '@wxcs/service';
import { Counter, Gauge, type Registry } from 'prom-client';

/** What became of one attempt at archiving an image. */
export type MediaOutcome = 'archived' | 'failed' | 'retried' | 'held';

export interface MediaMetrics {
  readonly mediaDone: (app: string, outcome: MediaOutcome, reason: string | null, errcode: number | null) => void;
}

export interface MediaMetricsOptions {
  readonly appNames: readonly string[];
  /** Per app name, WeChat's time of the oldest image still pending; read at scrape time. */
  readonly oldestPending: () => Promise<ReadonlyMap<string, Date>>;
  readonly timeoutMs: number;
  readonly now?: () => number;
}

const NONE = 'none';
const OTHER_APP = 'unknown';

/**
 * The archive's metrics. The age of the oldest pending image is what to
 * alert on: WeChat forgets an image 3 days after it was sent, so an alert at
 * a few hours leaves time to act. It is read from PostgreSQL at scrape time
 * (one indexed query), bounded so an outage skips the gauge.
 */
export function createMediaMetrics(registry: Registry, options: MediaMetricsOptions): MediaMetrics {
  const configured = new Set(options.appNames);
  const now = options.now ?? Date.now;
  const appLabel = (name: string) => (configured.has(name) ? name : OTHER_APP);
  const attempts = new Counter({
    name: 'wxcs_worker_media_total',
    help: 'Image archive attempts by outcome (archived, failed, retried, held), our reason and WeChat errcode',
    labelNames: ['app', 'outcome', 'reason', 'errcode'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'wxcs_worker_media_oldest_pending_age_seconds',
    help: 'Age of the oldest image not archived yet (from the time the user sent it); WeChat forgets it at 259200 s (3 days)',
    labelNames: ['app'] as const,
    registers: [registry],
    async collect() {
      const oldest = await raceTimeout(options.oldestPending().catch(() => undefined), options.timeoutMs);
      if (oldest === TIMED_OUT || oldest === undefined) return;
      this.reset();
      for (const app of options.appNames) {
        const since = oldest.get(app);
        this.set({ app }, since === undefined ? 0 : Math.max(0, (now() - since.getTime()) / 1_000));
      }
    },
  });
  return {
    mediaDone: (app, outcome, reason, errcode) => attempts.inc({ app: appLabel(app), outcome, reason: reason ?? NONE, errcode: errcode === null ? NONE : String(errcode) }),
  };
}
