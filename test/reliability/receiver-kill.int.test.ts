// Fault 4: the receiver SIGKILLed while its spool holds callbacks (Redis is
// down at that moment), then restarted on the same spool directory.
// Guarantee: every callback it acknowledged, spooled ones included, reaches
// the table exactly once. Requests cut by the kill are not acknowledged, so
// the load generator re-sends them as WeChat would (up to 3 times, 1 s apart).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { breakActive } from './support/breaks.js';
import { makeTempDir, readMetric, reportStats, sleep, startSignedLoad, waitFor, WECHAT_ACK_BUDGET_MS } from '@wxcs/testkit';
import { expectEveryMessageStoredOnce } from './support/guarantees.js';
import { pipelineTest } from './support/pipeline.js';

const TOTAL = 3_000;
const RATE = 150;

const test = pipelineTest({ label: 'receiver-kill' });

/** Callbacks written to the spool and not yet drained (lines of its segment files). */
async function spooledLines(dir: string): Promise<number> {
  const files = (await readdir(dir)).filter((name) => /^segment-\d+\.jsonl$/.test(name));
  const texts = await Promise.all(files.map((name) => readFile(join(dir, name), 'utf8')));
  return texts.reduce((sum, text) => sum + text.split('\n').filter((line) => line !== '').length, 0);
}

describe('the receiver SIGKILLed and restarted while the spool holds callbacks', () => {
  test('delivers every acknowledged callback to the table, spooled ones included', async ({ pipeline, cleanup }) => {
    const run = startSignedLoad({
      url: pipeline.callbackUrl,
      app: pipeline.credentials,
      ratePerSec: RATE,
      total: TOTAL,
      seed: 4,
      retries: 3,
      retryDelayMs: 1_000,
    });
    await waitFor('a fifth of the load sent', () => run.progress().sent >= TOTAL / 5, { timeoutMs: 60_000, everyMs: 20 });
    await pipeline.redis.stop();
    await waitFor('callbacks in the spool', async () => (await spooledLines(pipeline.spoolDir)) >= 300, { timeoutMs: 30_000 });

    const killed = await pipeline.receiver().kill();
    const spooledAtKill = await spooledLines(pipeline.spoolDir);
    // Break: the new receiver gets an empty spool directory (a spool on the container's own filesystem).
    const freshSpool = breakActive('ephemeral-spool') ? await makeTempDir('fresh-spool') : undefined;
    if (freshSpool) cleanup.defer('fresh spool', freshSpool.remove);
    const restartStarted = Date.now();
    await pipeline.startReceiver(freshSpool ? { RECEIVER_SPOOL_DIR: freshSpool.path } : {});
    const receiverDownMs = Date.now() - restartStarted;
    await sleep(3_000);
    await pipeline.redis.start();
    const load = await run.done;

    const settled = await pipeline.waitSettled(load, load.distinctAcknowledged, 60_000);
    const audit = await pipeline.audit(load);
    const drainedAfterRestart = readMetric(await pipeline.receiver().metrics(), 'wxcs_receiver_spool_drained_total');
    reportStats({
      test: 'receiver-kill',
      load,
      audit,
      extra: {
        spooledAtKill,
        drainedAfterRestart,
        receiverDownMs,
        retriesSent: load.retriesSent,
        distinctAcknowledged: load.distinctAcknowledged,
        settleMs: settled.waitedMs,
      },
    });

    expect(killed.signal).toBe('SIGKILL');
    expect(load.distinctAcknowledged, 'every message acknowledged at least once (with WeChat-style retries)').toBe(load.distinctMessages);
    expect(load.ack.max).toBeLessThan(WECHAT_ACK_BUDGET_MS);
    expectEveryMessageStoredOnce(settled, audit, load);
    // Evidence that the fault really hit the stream (checked last, so a broken guarantee is reported as such).
    expect(spooledAtKill, 'the spool held callbacks at the kill').toBeGreaterThanOrEqual(300);
  });
});
