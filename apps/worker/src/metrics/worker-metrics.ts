import { Counter, Histogram, type Registry } from 'prom-client';
import type { PersistObserver } from '../persist/message-persister.js';

export type JobOutcome = 'inserted' | 'duplicate' | 'dead-lettered';
export type RetryReason = 'transient' | 'database_unavailable';

export interface WorkerMetrics extends PersistObserver {
  readonly jobDone: (outcome: JobOutcome) => void;
  /** The job goes back to the queue: with backoff (an attempt spent) or on a database outage (none spent). */
  readonly retried: (reason: RetryReason) => void;
  readonly deadLettered: (kind: 'permanent' | 'exhausted', code: string) => void;
}

export function createWorkerMetrics(registry: Registry): WorkerMetrics {
  const processed = new Counter({
    name: 'wxcs_worker_jobs_processed_total',
    help: 'Inbound jobs completed, by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const duplicates = new Counter({
    name: 'wxcs_worker_duplicates_total',
    help: 'Callbacks whose message was already stored (WeChat retries, replica races, reruns)',
    registers: [registry],
  });
  const retried = new Counter({
    name: 'wxcs_worker_jobs_retried_total',
    help: 'Job attempts handed back to the queue for a later retry',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'wxcs_worker_dead_letters_total',
    help: 'Callbacks written to the dead letters',
    labelNames: ['kind', 'code'] as const,
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'wxcs_worker_batch_size',
    help: 'Rows per multi-row insert',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers: [registry],
  });
  const persistSeconds = new Histogram({
    name: 'wxcs_worker_persist_duration_seconds',
    help: 'Duration of one multi-row insert',
    labelNames: ['result'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });

  return {
    jobDone: (outcome) => {
      processed.inc({ outcome });
      if (outcome === 'duplicate') duplicates.inc();
    },
    retried: (reason) => retried.inc({ reason }),
    deadLettered: (kind, code) => deadLetters.inc({ kind, code }),
    batchDone: (size, seconds, ok) => {
      batchSize.observe(size);
      persistSeconds.observe({ result: ok ? 'ok' : 'error' }, seconds);
    },
  };
}
