import type { TokenFetchEvent } from '@wxcs/wechat-api';
import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * What became of one attempt at a reply: `sent`, `failed` (WeChat refused
 * it, or it cannot be sent), `unknown` (WeChat may have taken it; not sent
 * again), `retried` (it will be tried again), `held` (every attempt used; it
 * waits for an operator's replay).
 */
export type ReplyOutcome = 'sent' | 'failed' | 'unknown' | 'retried' | 'held';

/** How a call to WeChat's send ended: answered with success, answered with a refusal, or not answered. */
export type SendResult = 'ok' | 'refused' | 'no_answer';

export interface OutboundMetrics {
  readonly replyDone: (app: string, outcome: ReplyOutcome, errcode: number | null) => void;
  readonly sendTimed: (result: SendResult, seconds: number) => void;
  readonly tokenFetched: (event: TokenFetchEvent) => void;
}

/** The label of a code WeChat did not give. */
const NO_ERRCODE = 'none';
/** The label of an app name that is not configured (a job naming an unknown app). */
const OTHER_APP = 'unknown';

/**
 * The outbound half's metrics in the worker's registry. The `app` label
 * takes only configured names; `errcode` is WeChat's code as text, a finite
 * set.
 */
export function createOutboundMetrics(registry: Registry, appNames: readonly string[]): OutboundMetrics {
  const configured = new Set(appNames);
  const appLabel = (name: string) => (configured.has(name) ? name : OTHER_APP);
  const codeLabel = (errcode: number | null | undefined) => (errcode === null || errcode === undefined ? NO_ERRCODE : String(errcode));

  const replies = new Counter({
    name: 'wxcs_worker_replies_total',
    help: 'Reply attempts by outcome and WeChat errcode',
    labelNames: ['app', 'outcome', 'errcode'] as const,
    registers: [registry],
  });
  const sendSeconds = new Histogram({
    name: 'wxcs_worker_reply_send_duration_seconds',
    help: "Duration of one call to WeChat's send (token refresh and its one retry included)",
    labelNames: ['result'] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const tokenFetches = new Counter({
    name: 'wxcs_worker_wechat_token_fetches_total',
    help: 'Access token fetches from WeChat: mode forced after a token error, else normal (first fetch or renewal)',
    labelNames: ['app', 'mode', 'result', 'errcode'] as const,
    registers: [registry],
  });

  return {
    replyDone: (app, outcome, errcode) => replies.inc({ app: appLabel(app), outcome, errcode: codeLabel(errcode) }),
    sendTimed: (result, seconds) => sendSeconds.observe({ result }, seconds),
    tokenFetched: (event) =>
      tokenFetches.inc({
        app: appLabel(event.app.name),
        mode: event.forceRefresh ? 'forced' : 'normal',
        result: event.ok ? 'ok' : 'failed',
        errcode: codeLabel(event.errcode),
      }),
  };
}
