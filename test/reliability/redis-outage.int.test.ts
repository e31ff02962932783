// Fault 1: Redis stopped for several seconds mid-stream, then restarted.
// Guarantee: every callback is answered `success` within WeChat's 5 s budget
// (the receiver spools what Redis cannot take), and once Redis is back every
// distinct message is stored exactly once.
import { rm, writeFile } from 'node:fs/promises';
import { describe, expect } from 'vitest';
import { breakActive } from './support/breaks.js';
import { reportStats, sleep, startSignedLoad, waitFor, WECHAT_ACK_BUDGET_MS } from '@wxcs/testkit';
import { expectEveryMessageStoredOnce } from './support/guarantees.js';
import { pipelineTest } from './support/pipeline.js';

const TOTAL = 3_000;
const RATE = 150;
const OUTAGE_MS = 6_000;

const test = pipelineTest({ label: 'redis-outage' });

describe('Redis stopped mid-stream, then restarted', () => {
  test('answers every callback within 5 s and stores every distinct message once', async ({ pipeline }) => {
    const run = startSignedLoad({ url: pipeline.callbackUrl, app: pipeline.credentials, ratePerSec: RATE, total: TOTAL, seed: 1 });
    await waitFor('a quarter of the load sent', () => run.progress().sent >= TOTAL / 4, { timeoutMs: 60_000, everyMs: 20 });
    if (breakActive('no-spool')) {
      // Break: the spool cannot be written (its directory is replaced by a file), so nothing can absorb the outage.
      await rm(pipeline.spoolDir, { recursive: true, force: true });
      await writeFile(pipeline.spoolDir, 'not a directory');
    }
    const outageStarted = Date.now();
    await pipeline.redis.stop();
    await sleep(OUTAGE_MS);
    await pipeline.redis.start();
    const outageMs = Date.now() - outageStarted;
    const load = await run.done;

    const settled = await pipeline.waitSettled(load, load.distinctMessages, 60_000);
    const audit = await pipeline.audit(load);
    const spooled = await pipeline.receiverMetric('wxcs_receiver_requests_total', { outcome: 'spooled' });
    const drained = await pipeline.receiverMetric('wxcs_receiver_spool_drained_total');
    reportStats({
      test: 'redis-outage',
      load,
      audit,
      extra: { outageMs, spooled, drained, settleMs: settled.waitedMs, overBudget: load.overBudget },
    });

    expect(load.sent).toBe(TOTAL);
    expect(load.acknowledged, JSON.stringify(load.statuses)).toBe(load.sent);
    expect(load.ack.max).toBeLessThan(WECHAT_ACK_BUDGET_MS);
    expectEveryMessageStoredOnce(settled, audit, load);
    // Evidence that the fault really hit the stream (checked last, so a broken guarantee is reported as such).
    expect(spooled, 'the outage must have hit the stream').toBeGreaterThan(0);
  });
});
