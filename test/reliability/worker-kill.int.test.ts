// Fault 3: one of two worker replicas SIGKILLed mid-batch. Guarantee: the
// survivor takes over the dead replica's jobs (BullMQ stalled-job recovery)
// and every distinct message is stored exactly once: jobs whose rows were
// committed just before the kill run again and are absorbed by deduplication.
import { describe, expect } from 'vitest';
import { appDirForBreak, breakActive } from './support/breaks.js';
import { readMetric, reportStats, sleep, startSignedLoad, waitFor, WECHAT_ACK_BUDGET_MS } from '@wxcs/testkit';
import { expectEveryMessageStoredOnce } from './support/guarantees.js';
import { pipelineTest } from './support/pipeline.js';

const TOTAL = 3_000;
const RATE = 150;
const BATCH_MAX_WAIT_MS = 200;

const test = pipelineTest(async (cleanup) => {
  // Break 1: locks last 10 minutes, so the dead replica's jobs are never handed over within the test.
  // Batches wait up to 200 ms to fill (default 25 ms), so each replica holds jobs in flight most of the time.
  const workerEnv: Record<string, string> = { WORKER_BATCH_MAX_WAIT_MS: String(BATCH_MAX_WAIT_MS) };
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
    // Mid-batch, not at a random moment (right after a flush a replica may hold nothing):
    // just after one of the victim's batches is inserted, halfway through the next one's wait.
    const batchesInserted = async () => readMetric(await victim!.metrics(), 'wxcs_worker_batch_size_count');
    const inserted = await batchesInserted();
    await waitFor('a batch of the victim inserted', async () => (await batchesInserted()) > inserted, { timeoutMs: 10_000, everyMs: 5 });
    await sleep(BATCH_MAX_WAIT_MS / 2);
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
