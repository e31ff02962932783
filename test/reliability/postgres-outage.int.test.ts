// Fault 2: PostgreSQL stopped mid-stream, then restarted. Guarantee: the
// receiver keeps acknowledging (it never touches the database), workers
// notice the outage, back off and resume on their own, and every distinct
// message is stored exactly once with nothing dead-lettered.
import { describe, expect } from 'vitest';
import { appDirForBreak } from './support/breaks.js';
import { readMetric, reportStats, sleep, startSignedLoad, waitFor, WECHAT_ACK_BUDGET_MS } from '@wxcs/testkit';
import { expectEveryMessageStoredOnce } from './support/guarantees.js';
import { pipelineTest } from './support/pipeline.js';

const TOTAL = 3_000;
const RATE = 150;
const OUTAGE_MS = 6_000;

const test = pipelineTest(async (cleanup) => {
  // Break: a worker that treats every failure as permanent (no retry, no outage pause) dead-letters what the outage hits.
  const workerDir = await appDirForBreak(cleanup, 'worker', 'no-db-retry', [
    { file: 'src/processors/inbound-processor.ts', find: 'if (error instanceof DatabaseUnavailableError) {', replace: 'if (false) {' },
    {
      file: 'src/processors/failures.ts',
      find: 'export function describePermanentFailure(error: unknown): FailureDescription | undefined {',
      replace:
        "export function describePermanentFailure(error: unknown): FailureDescription | undefined {\n  return { code: 'mutant_no_retry', reason: reasonOf(error), errorName: errorNameOf(error) };",
    },
  ]);
  return { label: 'postgres-outage', postgres: 'throwaway', workerDir };
});

describe('PostgreSQL stopped mid-stream, then restarted', () => {
  test('workers recover by themselves and store every distinct message once', async ({ pipeline }) => {
    const postgres = pipeline.postgres!;
    const run = startSignedLoad({ url: pipeline.callbackUrl, app: pipeline.credentials, ratePerSec: RATE, total: TOTAL, seed: 2 });
    await waitFor('a quarter of the load sent', () => run.progress().sent >= TOTAL / 4, { timeoutMs: 60_000, everyMs: 20 });
    const outageStarted = Date.now();
    await postgres.stop();
    await sleep(OUTAGE_MS);
    await postgres.start();
    const outageMs = Date.now() - outageStarted;
    const load = await run.done;

    const settled = await pipeline.waitSettled(load, load.distinctMessages, 90_000);
    const audit = await pipeline.audit(load);
    const metrics = await pipeline.workers()[0]!.metrics();
    const outageBounces = readMetric(metrics, 'wxcs_worker_jobs_retried_total', { reason: 'database_unavailable' });
    const deadLettered = readMetric(metrics, 'wxcs_worker_dead_letters_total');
    reportStats({
      test: 'postgres-outage',
      load,
      audit,
      extra: { outageMs, outageBounces, deadLettered, settleMs: settled.waitedMs, deadLetterQueue: settled.counts?.deadLetters ?? -1 },
    });

    expect(load.acknowledged, JSON.stringify(load.statuses)).toBe(TOTAL);
    expect(load.ack.max).toBeLessThan(WECHAT_ACK_BUDGET_MS);
    expectEveryMessageStoredOnce(settled, audit, load);
    expect(settled.counts?.deadLetters).toBe(0);
    expect(settled.counts?.failed).toBe(0);
    // Evidence that the fault really hit the stream (checked last, so a broken guarantee is reported as such).
    expect(outageBounces, 'the outage must have hit the workers').toBeGreaterThan(0);
  });
});
