// Fault 5: Redis SIGKILLed and restarted from its append-only file, with
// docker-compose's settings (`appendonly yes`, `appendfsync everysec`).
// Guarantee: a callback acknowledged as queued more than ~1 s before Redis
// dies is in the queue after the restart. The receiver acknowledges once
// Redis has applied the write; `everysec` fsyncs the AOF once a second, so
// only the last second before a crash is exposed. The test waits 1.5 s after
// the last acknowledgement before the kill, and no worker runs until Redis is
// back, so every acknowledged job is only in Redis when it dies.
import { describe, expect } from 'vitest';
import { breakActive } from './support/breaks.js';
import { queuedCallbackIds, reportStats, sleep, waitFor, runSignedLoad } from '@wxcs/testkit';
import { pipelineTest } from './support/pipeline.js';

const TOTAL = 3_000;
const RATE = 150;
// `no-fsync-grace` (exploration, not a guarantee): kill right after the last acknowledgement.
const FSYNC_GRACE_MS = breakActive('no-fsync-grace') ? 0 : 1_500;

// Break: no AOF, so a restarted Redis is empty.
const test = pipelineTest({ label: 'redis-aof', workers: 0, appendOnly: !breakActive('no-aof') });

describe('Redis SIGKILLed and restarted from its AOF', () => {
  test('loses no acknowledged callback', async ({ pipeline }) => {
    const load = await runSignedLoad({ url: pipeline.callbackUrl, app: pipeline.credentials, ratePerSec: RATE, total: TOTAL, seed: 5 });
    const spooled = await pipeline.receiverMetric('wxcs_receiver_requests_total', { outcome: 'spooled' });
    const callbacksBeforeKill = (await queuedCallbackIds(pipeline.redis.url, pipeline.prefix)).size;
    await sleep(FSYNC_GRACE_MS);
    await pipeline.redis.kill();
    await pipeline.redis.start();
    const callbacksAfterRestart = (await queuedCallbackIds(pipeline.redis.url, pipeline.prefix)).size;
    await waitFor('the receiver back on Redis', async () => (await fetch(`${pipeline.receiver().opsUrl}/readyz`)).ok);
    await pipeline.startWorker();

    const settled = await pipeline.waitSettled(load, load.distinctAcknowledged, 60_000);
    const audit = await pipeline.audit(load);
    reportStats({
      test: 'redis-aof-crash',
      load,
      audit,
      extra: { callbacksBeforeKill, callbacksAfterRestart, spooled, fsyncGraceMs: FSYNC_GRACE_MS, settleMs: settled.waitedMs },
    });

    expect(spooled, 'every acknowledgement came from Redis, not the spool').toBe(0);
    expect(load.acknowledged, JSON.stringify(load.statuses)).toBe(TOTAL);
    // Byte-identical replays in the load are acknowledged without a job of their own.
    expect(callbacksBeforeKill).toBe(load.distinctDeliveriesAcknowledged);
    expect(callbacksAfterRestart, 'every acknowledged callback survived the crash').toBe(callbacksBeforeKill);
    expect(settled.settled, JSON.stringify(settled)).toBe(true);
    expect(audit.lost, `lost: ${audit.lostMarkers.join(',')}`).toBe(0);
    expect(audit.duplicatesStored).toBe(0);
    expect(audit.stored).toBe(load.distinctMessages);
  });
});
