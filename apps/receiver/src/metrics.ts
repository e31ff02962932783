import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { SpoolReason } from './intake/enqueue-batcher.js';

/** What became of a request, one label value per kind of answer. */
export type RequestOutcome =
  | 'queued'
  | 'spooled'
  /** A delivery this receiver already made durable; nothing was stored again. */
  | 'repeat'
  | 'echo'
  | 'unauthorized'
  | 'bad_request'
  | 'not_found'
  | 'too_large'
  | 'unsupported_media_type'
  | 'unavailable'
  | 'error';

export interface ReceiverMetrics {
  readonly registry: Registry;
  readonly countRequest: (outcome: RequestOutcome) => void;
  /** Seconds from request start to the callback's acknowledgement. */
  readonly observeAck: (outcome: 'queued' | 'spooled', seconds: number) => void;
  /** `reason`: why a batch went to the spool (absent for a queued batch). */
  readonly observeBatch: (size: number, outcome: 'queued' | 'spooled' | 'failed', reason?: SpoolReason) => void;
  readonly countDrained: (count: number) => void;
  readonly countTransferReply: (result: TransferResult) => void;
  /** One durable spool write (one fsync) holding `callbacks` callbacks. */
  readonly countSpoolWrite: (callbacks: number) => void;
}

/** `sent`: transfer reply answered; `event`: events get `success`; `failed`: could not build one. */
export type TransferResult = 'sent' | 'event' | 'failed';

export interface ReceiverMetricsOptions {
  readonly registry: Registry;
  readonly spoolDepth: () => number;
}

/** Instruments with their label children resolved once: the request path only increments. */
export function createReceiverMetrics(options: ReceiverMetricsOptions): ReceiverMetrics {
  const registers = [options.registry];
  const requests = new Counter({
    name: 'wxcs_receiver_requests_total',
    help: 'Callback and verification requests by outcome',
    labelNames: ['outcome'],
    registers,
  });
  const ack = new Histogram({
    name: 'wxcs_receiver_ack_duration_seconds',
    help: 'Time from request start until the callback was durable (Redis or spool)',
    labelNames: ['outcome'],
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2, 4],
    registers,
  });
  const batches = new Histogram({
    name: 'wxcs_receiver_enqueue_batch_size',
    help: 'Callbacks per Redis round trip (micro-batch size), by outcome and by why a batch was spooled',
    labelNames: ['outcome', 'reason'],
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000],
    registers,
  });
  const drained = new Counter({
    name: 'wxcs_receiver_spool_drained_total',
    help: 'Spooled callbacks moved into the queue',
    registers,
  });
  const spoolWrites = new Counter({
    name: 'wxcs_receiver_spool_writes_total',
    help: 'Durable spool writes (one fsync each; concurrent batches share one)',
    registers,
  });
  const transfers = new Counter({
    name: 'wxcs_receiver_transfer_replies_total',
    help: 'Passive transfer_customer_service decisions for apps with the option on',
    labelNames: ['result'],
    registers,
  });
  new Gauge({
    name: 'wxcs_receiver_spool_depth',
    help: 'Callbacks in the local spool waiting for Redis',
    registers,
    collect() {
      this.set(options.spoolDepth());
    },
  });
  const requestChildren = new Map<RequestOutcome, Counter.Internal>();
  const ackChildren = { queued: ack.labels('queued'), spooled: ack.labels('spooled') };
  const queuedBatches = batches.labels('queued', 'none');
  const spoolChildren = (outcome: 'spooled' | 'failed') =>
    ({
      timeout: batches.labels(outcome, 'timeout'),
      rejected: batches.labels(outcome, 'rejected'),
      stalled: batches.labels(outcome, 'stalled'),
      replicas: batches.labels(outcome, 'replicas'),
    }) satisfies Record<SpoolReason, unknown>;
  const batchChildren = { spooled: spoolChildren('spooled'), failed: spoolChildren('failed') };
  return {
    registry: options.registry,
    countRequest: (outcome) => {
      let child = requestChildren.get(outcome);
      if (!child) requestChildren.set(outcome, (child = requests.labels(outcome)));
      child.inc();
    },
    observeAck: (outcome, seconds) => ackChildren[outcome].observe(seconds),
    observeBatch: (size, outcome, reason) =>
      (outcome === 'queued' ? queuedBatches : batchChildren[outcome][reason ?? 'rejected']).observe(size),
    countDrained: (count) => drained.inc(count),
    countTransferReply: (result) => transfers.labels(result).inc(),
    countSpoolWrite: () => spoolWrites.inc(),
  };
}
