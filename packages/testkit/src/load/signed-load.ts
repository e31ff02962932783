import { randomBytes } from 'node:crypto';
import type { AppCredentials, MessageEncryption } from '@wxcs/wechat';
import { simulateCallback } from '@wxcs/wechat/testing';
import { sleep } from '../wait-for.js';
import { assertLoopback, createLoadAgent, postOnce } from './http-post.js';
import { buildMessage, formatOf, markerOf, planDeliveries, type MessageContext, type PlannedDelivery } from './message-plan.js';
import { summarize, type LatencySummary } from './percentiles.js';

/** WeChat gives up on a callback (and shows the user an error) after this long. */
export const WECHAT_ACK_BUDGET_MS = 5_000;

export interface SignedLoadOptions {
  /** The callback endpoint, e.g. http://127.0.0.1:3000/wechat/default; loopback only. */
  readonly url: string;
  readonly app: AppCredentials;
  readonly ratePerSec: number;
  /** Requests in the plan (first deliveries plus duplicates; retries come on top). */
  readonly total: number;
  readonly duplicateRatio?: number;
  readonly seed?: number;
  /** Marks this run's messages in the table; random when omitted. */
  readonly runId?: string;
  readonly mode?: MessageEncryption;
  readonly toUserName?: string;
  /** A request without an answer after this long counts as failed (default 10 s). */
  readonly requestTimeoutMs?: number;
  /** Re-sends of a delivery that was not acknowledged, freshly encrypted as WeChat retries are (default 0). */
  readonly retries?: number;
  readonly retryDelayMs?: number;
  readonly maxInFlight?: number;
  /** Hard bound on the sending phase (default twice the planned duration plus 30 s). */
  readonly maxDurationMs?: number;
}

export interface RequestRecord {
  readonly seq: number;
  readonly message: number;
  readonly attempt: number;
  readonly duplicate: boolean;
  /** The signed request's identity (timestamp, nonce, signature): a byte-identical replay shares it. */
  readonly delivery: string;
  /** Epoch ms when the request was sent. */
  readonly sentAt: number;
  readonly latencyMs: number;
  readonly status: number;
  readonly acknowledged: boolean;
  readonly error?: string;
}

export interface LoadReport {
  readonly runId: string;
  /** Requests sent, duplicates and retries included. */
  readonly sent: number;
  /** Requests answered 200 `success`. */
  readonly acknowledged: number;
  /** Requests answered with anything else (status counts in `statuses`). */
  readonly rejected: number;
  /** Requests without an answer (refused, reset, timed out). */
  readonly failed: number;
  readonly distinctMessages: number;
  readonly distinctAcknowledged: number;
  /** Distinct signed requests acknowledged: the receiver queues each once, so this is how many jobs it made. */
  readonly distinctDeliveriesAcknowledged: number;
  readonly duplicatesSent: number;
  readonly retriesSent: number;
  /** Latency of acknowledged requests, ms. */
  readonly ack: LatencySummary;
  /** Requests answered (or abandoned) after WeChat's 5 s budget. */
  readonly overBudget: number;
  readonly durationMs: number;
  readonly achievedRatePerSec: number;
  readonly statuses: Readonly<Record<string, number>>;
  /** Markers (openids) of every distinct message sent, and of those acknowledged at least once. */
  readonly sentMarkers: ReadonlySet<string>;
  readonly acknowledgedMarkers: ReadonlySet<string>;
  readonly records: readonly RequestRecord[];
}

export interface LoadProgress {
  readonly sent: number;
  readonly acknowledged: number;
  readonly failed: number;
  readonly inFlight: number;
}

export interface LoadRun {
  readonly runId: string;
  readonly progress: () => LoadProgress;
  readonly done: Promise<LoadReport>;
  /** Stops sending new deliveries; `done` still waits for those in flight. */
  readonly stop: () => void;
}

interface Prepared {
  readonly query: Record<string, string>;
  readonly body: string;
  readonly contentType: string;
}

/**
 * Sends signed, encrypted callbacks at a steady rate (open loop: a slow
 * server does not slow the schedule, up to `maxInFlight` outstanding) and
 * records every answer. Bounded in count and time; loopback only.
 */
export function startSignedLoad(options: SignedLoadOptions): LoadRun {
  const target = new URL(options.url);
  assertLoopback(target);
  const runId = options.runId ?? randomBytes(4).toString('hex');
  const context: MessageContext = {
    runId,
    runNumber: Number.parseInt(runId.slice(0, 6), 16) || 1,
    toUserName: options.toUserName ?? 'gh_8f2d3c4b5a6e',
    appId: options.app.appId,
    createTime: String(Math.floor(Date.now() / 1000)),
  };
  const plan = planDeliveries({ total: options.total, duplicateRatio: options.duplicateRatio, seed: options.seed });
  const maxInFlight = options.maxInFlight ?? 256;
  const agent = createLoadAgent(maxInFlight);
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const plannedMs = (options.total / options.ratePerSec) * 1000;
  const maxDurationMs = options.maxDurationMs ?? plannedMs * 2 + 30_000;
  const firstDelivery = new Map<number, Prepared>();
  const records: RequestRecord[] = [];
  const outstanding = new Set<Promise<void>>();
  let inFlight = 0;
  let stopped = false;

  function prepare(message: number): Prepared {
    const format = formatOf(message);
    const simulated = simulateCallback({
      app: options.app,
      message: buildMessage(context, message),
      format,
      mode: options.mode ?? 'safe',
      timestamp: String(Math.floor(Date.now() / 1000)),
      nonce: String(randomBytes(4).readUInt32BE()),
    });
    return { query: simulated.query, body: simulated.body, contentType: simulated.contentType };
  }

  function requestFor(delivery: PlannedDelivery, attempt: number): Prepared {
    const earlier = firstDelivery.get(delivery.message);
    if (attempt === 0 && delivery.identical && earlier) return earlier;
    const prepared = prepare(delivery.message);
    if (!earlier) firstDelivery.set(delivery.message, prepared);
    return prepared;
  }

  async function send(delivery: PlannedDelivery, attempt: number): Promise<void> {
    const prepared = requestFor(delivery, attempt);
    const url = new URL(target);
    url.search = new URLSearchParams(prepared.query).toString();
    const sentAt = Date.now();
    inFlight += 1;
    const result = await postOnce({ agent, url, body: prepared.body, contentType: prepared.contentType, timeoutMs });
    inFlight -= 1;
    const acknowledged = result.status === 200 && result.text === 'success';
    records.push({
      seq: delivery.seq,
      message: delivery.message,
      attempt,
      duplicate: delivery.duplicate,
      delivery: `${prepared.query.timestamp}:${prepared.query.nonce}:${prepared.query.msg_signature ?? prepared.query.signature}`,
      sentAt,
      latencyMs: result.latencyMs,
      status: result.status,
      acknowledged,
      ...(result.error === undefined ? {} : { error: result.error }),
    });
    if (!acknowledged && attempt < (options.retries ?? 0)) {
      await sleep(options.retryDelayMs ?? 1_000);
      await send(delivery, attempt + 1);
    }
  }

  function track(work: Promise<void>): void {
    outstanding.add(work);
    void work.finally(() => outstanding.delete(work));
  }

  async function run(): Promise<LoadReport> {
    const started = performance.now();
    for (const delivery of plan) {
      if (stopped || performance.now() - started > maxDurationMs) break;
      const wait = started + (delivery.seq * 1000) / options.ratePerSec - performance.now();
      if (wait > 1) await sleep(wait);
      while (inFlight >= maxInFlight) await sleep(5);
      track(send(delivery, 0));
    }
    while (outstanding.size > 0) await Promise.all([...outstanding]);
    agent.destroy();
    return buildReport(runId, records, performance.now() - started);
  }

  return {
    runId,
    progress: () => ({
      sent: records.length + inFlight,
      acknowledged: records.filter((record) => record.acknowledged).length,
      failed: records.filter((record) => record.status === 0).length,
      inFlight,
    }),
    done: run(),
    stop: () => {
      stopped = true;
    },
  };
}

export async function runSignedLoad(options: SignedLoadOptions): Promise<LoadReport> {
  return startSignedLoad(options).done;
}

/** Pure: the report of a finished run from its request records. */
export function buildReport(runId: string, records: readonly RequestRecord[], durationMs: number): LoadReport {
  const statuses: Record<string, number> = {};
  const sentMarkers = new Set<string>();
  const acknowledgedMarkers = new Set<string>();
  const ackLatencies: number[] = [];
  let overBudget = 0;
  for (const record of records) {
    const key = record.status === 0 ? `no-answer:${record.error ?? 'unknown'}` : String(record.status);
    statuses[key] = (statuses[key] ?? 0) + 1;
    sentMarkers.add(markerOf(runId, record.message));
    if (record.acknowledged) {
      acknowledgedMarkers.add(markerOf(runId, record.message));
      ackLatencies.push(record.latencyMs);
    }
    if (record.latencyMs > WECHAT_ACK_BUDGET_MS) overBudget += 1;
  }
  const acknowledged = ackLatencies.length;
  const failed = records.filter((record) => record.status === 0).length;
  return {
    runId,
    sent: records.length,
    acknowledged,
    rejected: records.length - acknowledged - failed,
    failed,
    distinctMessages: sentMarkers.size,
    distinctAcknowledged: acknowledgedMarkers.size,
    distinctDeliveriesAcknowledged: new Set(records.filter((record) => record.acknowledged).map((record) => record.delivery)).size,
    duplicatesSent: records.filter((record) => record.duplicate && record.attempt === 0).length,
    retriesSent: records.filter((record) => record.attempt > 0).length,
    ack: summarize(ackLatencies),
    overBudget,
    durationMs,
    achievedRatePerSec: durationMs > 0 ? (records.length * 1000) / durationMs : 0,
    statuses,
    sentMarkers,
    acknowledgedMarkers,
    records,
  };
}
