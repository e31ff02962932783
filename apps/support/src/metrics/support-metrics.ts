import type { Logger } from '@wxcs/logger';
import { TIMED_OUT, raceTimeout } from '@wxcs/service';
import { Counter, Gauge, type Registry } from 'prom-client';

export interface SupportMetrics {
  /** Every answered request: route template (`-` when none matched), method, status. */
  readonly requests: Counter<'route' | 'method' | 'status'>;
  /** Replies asked for, by outcome: queued, repeated, reply_window_closed, reply_quota_spent. */
  readonly replies: Counter<'app' | 'outcome'>;
  /** Replies stored whose job could not be added; the worker's sweeper sends them. */
  readonly enqueueFailures: Counter<'app'>;
  /** Access-token fetches this process made (typing and media need a token too), forced or not, and whether WeChat gave one. */
  readonly tokenFetches: Counter<'app' | 'forced' | 'ok'>;
}

export interface ClosingUnansweredSource {
  /** Per app name, the conversations closing within the hour with a question unanswered. */
  readonly count: () => Promise<ReadonlyMap<string, number>>;
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/** The support API's metrics on `registry`, the gauge computed on each scrape. */
export function createSupportMetrics(registry: Registry, closing: ClosingUnansweredSource): SupportMetrics {
  // Registered before the failure counter: a scrape starts collecting metrics in registration order,
  // so the counter's collect finds this scrape's query already started and waits for it.
  let scrape: Promise<void> = Promise.resolve();
  new Gauge({
    name: 'wxcs_support_conversations_closing_unanswered',
    help: 'Conversations whose reply window closes within the hour with a user message and no queued or sent reply since',
    labelNames: ['app'],
    registers: [registry],
    collect() {
      scrape = refresh(this);
      return scrape;
    },
  });
  const queryFailures = new Counter({
    name: 'wxcs_support_scrape_query_failures_total',
    help: 'Scrapes whose conversations_closing_unanswered query failed or timed out (the gauge then has no series)',
    registers: [registry],
    async collect() {
      await scrape;
    },
  });
  async function refresh(gauge: Gauge<'app'>): Promise<void> {
    gauge.reset();
    const counts = await raceTimeout(
      closing.count().catch((error: unknown) => {
        closing.logger.warn({ err: error }, 'closing-unanswered query failed');
        return undefined;
      }),
      closing.timeoutMs,
    );
    if (counts === undefined || counts === TIMED_OUT) {
      queryFailures.inc();
      return;
    }
    for (const [app, count] of counts) gauge.set({ app }, count);
  }
  return {
    requests: new Counter({
      name: 'wxcs_support_requests_total',
      help: 'Requests answered by the support API, by route template, method and status',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
    }),
    replies: new Counter({
      name: 'wxcs_support_replies_total',
      help: 'Replies asked for, by app and outcome (queued, repeated, reply_window_closed, reply_quota_spent)',
      labelNames: ['app', 'outcome'],
      registers: [registry],
    }),
    enqueueFailures: new Counter({
      name: 'wxcs_support_enqueue_failures_total',
      help: "Replies stored whose outbound job could not be added (Redis down); the worker's orphan sweeper sends them",
      labelNames: ['app'],
      registers: [registry],
    }),
    tokenFetches: new Counter({
      name: 'wxcs_support_wechat_token_fetches_total',
      help: 'Access-token fetches from WeChat by this process, by app, forced (after a token error) and ok',
      labelNames: ['app', 'forced', 'ok'],
      registers: [registry],
    }),
  };
}
