// Fault 3: one of two worker replicas SIGKILLed mid-batch. Guarantee: the
// survivor takes over the dead replica's jobs (BullMQ stalled-job recovery)
// and every distinct message is stored exactly once: jobs whose rows were
// committed just before the kill run again and are absorbed by deduplication.
import { describe, expect } from 'vitest';
import { appDirForBreak, breakActive } from './support/breaks.js';
import { readMetric, reportStats, startSignedLoad, waitFor, WECHAT_ACK_BUDGET_MS } from '@wxcs/testkit';
import { expectEveryMessageStoredOnce } from './support/guarantees.js';
import { pipelineTest } from './support/pipeline.js';

const TOTAL = 3_000;
const RATE = 150;

const test = pipelineTest(async (cleanup) => {
  // Break 1: locks last 10 minutes, so the dead replica's jobs are never handed over within the test.
  // Batches wait up to 200 ms to fill (default 25 ms), so each replica always holds jobs in flight and the kill lands mid-batch.
  const workerEnv: Record<string, string> = { WORKER_BATCH_MAX_WAIT_MS: '200' };
  if (breakActive('no-stall-recovery')) workerEnv.WORKER_STALLED_INTERVAL_MS = '600000';
  // Break 2: deduplication keyed on the delivery instead of the content (a re-run or a re-send makes a new row).
  const workerDir = await appDirForBreak(cleanup, 'worker', 'dedup-by-delivery', [
    { file: 'src/processors/customer-message-row.ts', find: 'dedupKey: dedupKey(message),', replace: 'dedupKey: `${dedupKey(message)}#${callback.callbackId}`,' },
  ]);
  return { label: 'worker-kill', workers: 2, workerEnv, workerDir };
});

describe('a worker SIGKILLed mid-batch while a second replica runs', () => {
  test('stores every distinct message once', async ({ pipeline }) => {
    const [victim, survivor] = pipeline.workers();
    const run = startSignedLoad({ url: pipeline.callbackUrl, app: pipeline.credentials, ratePerSec: RATE, total: TOTAL, seed: 3 });
    await waitFor('40% of the load sent', () => run.progress().sent >= TOTAL * 0.4, { timeoutMs: 60_000, everyMs: 20 });
    const before = readMetric(await victim!.metrics(), 'wxcs_worker_jobs_processed_total');
    const killed = await victim!.kill();
    const load = await run.done;

    const settled = await pipeline.waitSettled(load, load.distinctMessages, 60_000);
    const audit = await pipeline.audit(load);
    const survivorMetrics = await survivor!.metrics();
    const stalled = survivor!.lines().filter((line) => line.includes('job stalled')).length;
    reportStats({
      test: 'worker-kill',
      load,
      audit,
      extra: {
        victimProcessedBeforeKill: before,
        survivorProcessed: readMetric(survivorMetrics, 'wxcs_worker_jobs_processed_total'),
        survivorDuplicates: readMetric(survivorMetrics, 'wxcs_worker_duplicates_total'),
        stalledJobsRecovered: stalled,
        settleMs: settled.waitedMs,
      },
    });

    expect(killed.signal).toBe('SIGKILL');
    expect(load.acknowledged, JSON.stringify(load.statuses)).toBe(TOTAL);
    expect(load.ack.max).toBeLessThan(WECHAT_ACK_BUDGET_MS);
    expectEveryMessageStoredOnce(settled, audit, load);
    expect(settled.counts?.deadLetters).toBe(0);
    // Evidence that the fault really hit the stream (checked last, so a broken guarantee is reported as such).
    expect(before, 'the victim was working when it was killed').toBeGreaterThan(0);
    expect(stalled, 'the victim died holding jobs').toBeGreaterThan(0);
  });
});
