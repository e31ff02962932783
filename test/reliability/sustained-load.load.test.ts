// Sustained load (`npm run test:load`, not part of `npm test`): a fixed rate
// for LOAD_SECONDS (default 150 s) through receiver → Redis → 2 workers →
// PostgreSQL. Reports ack and end-to-end latency percentiles, and samples
// receiver/worker RSS and Redis memory every 10 s to show they stay flat
// (completed jobs are trimmed by BullMQ's removeOnComplete).
import { appendFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import {
  endToEndLatency,
  queueCounts,
  reportStats,
  sleep,
  startSignedLoad,
  type QueueCounts,
} from '@wxcs/testkit';
import { pipelineTest, type Pipeline } from './support/pipeline.js';

const RATE = Number(process.env.LOAD_RATE ?? 200);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 150);
const WARM_UP_MS = 20_000;
const SAMPLE_EVERY_MS = 10_000;

interface Sample {
  readonly atS: number;
  readonly receiverRssMb: number;
  readonly workerRssMb: number[];
  readonly redisUsedMb: number;
  readonly queue: QueueCounts;
}

const test = pipelineTest({ label: 'sustained-load', workers: 2 });

const mb = (bytes: number | undefined) => Math.round(((bytes ?? Number.NaN) / 1_048_576) * 10) / 10;

async function sample(pipeline: Pipeline, startedAt: number): Promise<Sample> {
  return {
    atS: Math.round((Date.now() - startedAt) / 1000),
    receiverRssMb: mb(await pipeline.receiver().rssBytes()),
    workerRssMb: await Promise.all(pipeline.workers().map(async (worker) => mb(await worker.rssBytes()))),
    redisUsedMb: mb(Number((await pipeline.redis.info('memory')).used_memory)),
    queue: await queueCounts(pipeline.redis.url, pipeline.prefix),
  };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe(`sustained load: ${RATE}/s for ${SECONDS} s`, () => {
  test('holds the rate with flat memory, losing and doubling nothing', async ({ pipeline }) => {
    const startedAt = Date.now();
    const run = startSignedLoad({
      url: pipeline.callbackUrl,
      app: pipeline.credentials,
      ratePerSec: RATE,
      total: RATE * SECONDS,
      seed: 42,
      maxInFlight: 512,
    });
    const samples: Sample[] = [await sample(pipeline, startedAt)];
    let finished = false;
    void run.done.finally(() => (finished = true));
    while (!finished) {
      await Promise.race([sleep(SAMPLE_EVERY_MS), run.done]);
      samples.push(await sample(pipeline, startedAt));
    }
    const load = await run.done;
    const settled = await pipeline.waitSettled(load, load.distinctMessages, 120_000);
    samples.push(await sample(pipeline, startedAt));
    const audit = await pipeline.audit(load);
    const e2e = await endToEndLatency(pipeline.databaseUrl, load.runId);

    const warm = samples.filter((s) => s.atS * 1000 >= WARM_UP_MS && s.atS * 1000 <= load.durationMs);
    const third = Math.max(1, Math.floor(warm.length / 3));
    const early = warm.slice(0, third);
    const late = warm.slice(-third);
    const receiverGrowth = mean(late.map((s) => s.receiverRssMb)) / mean(early.map((s) => s.receiverRssMb));
    const workerGrowth = mean(late.map((s) => mean(s.workerRssMb))) / mean(early.map((s) => mean(s.workerRssMb)));
    const redisEarly = mean(early.map((s) => s.redisUsedMb));
    const redisLate = mean(late.map((s) => s.redisUsedMb));
    const last = samples.at(-1)!;

    reportStats({
      test: 'sustained-load',
      load,
      audit,
      extra: {
        seconds: Math.round(load.durationMs / 1000),
        e2eP50Ms: Math.round(e2e.p50Ms),
        e2eP99Ms: Math.round(e2e.p99Ms),
        e2eMaxMs: Math.round(e2e.maxMs),
        receiverRssStartMb: samples[1]?.receiverRssMb ?? -1,
        receiverRssEndMb: late.at(-1)?.receiverRssMb ?? -1,
        workerRssStartMb: (samples[1]?.workerRssMb ?? []).join('/'),
        workerRssEndMb: (late.at(-1)?.workerRssMb ?? []).join('/'),
        receiverRssGrowth: receiverGrowth.toFixed(2),
        workerRssGrowth: workerGrowth.toFixed(2),
        redisUsedEarlyMb: redisEarly.toFixed(1),
        redisUsedLateMb: redisLate.toFixed(1),
        redisUsedAfterMb: last.redisUsedMb,
        completedKept: last.queue.completed,
        settleMs: settled.waitedMs,
      },
    });
    const table = samples.map((s) => `t=${s.atS}s receiver=${s.receiverRssMb}MB workers=${s.workerRssMb.join('/')}MB redis=${s.redisUsedMb}MB waiting=${s.queue.waiting} completed=${s.queue.completed}`);
    process.stdout.write(`${table.join('\n')}\n`);
    if (process.env.RELIABILITY_STATS_FILE) appendFileSync(process.env.RELIABILITY_STATS_FILE, `${JSON.stringify({ test: 'sustained-load-samples', samples, e2e })}\n`);

    expect(load.durationMs).toBeGreaterThanOrEqual(Math.min(SECONDS, 120) * 1000 - 1000);
    expect(load.acknowledged, JSON.stringify(load.statuses)).toBe(load.sent);
    expect(load.ack.p99).toBeLessThan(1_000);
    expect(load.ack.max).toBeLessThan(5_000);
    expect(settled.settled, JSON.stringify(settled)).toBe(true);
    expect(audit.lost).toBe(0);
    expect(audit.duplicatesStored).toBe(0);
    expect(audit.stored).toBe(load.distinctMessages);
    expect(e2e.p99Ms).toBeLessThan(5_000);
    // Flat: no more than 30 % growth between the first and the last third of the steady state.
    expect(receiverGrowth).toBeLessThan(1.3);
    expect(workerGrowth).toBeLessThan(1.3);
    expect(redisLate).toBeLessThan(redisEarly * 1.3 + 2);
    // BullMQ keeps at most 1000 completed jobs (removeOnComplete), whatever the volume.
    expect(last.queue.completed).toBeLessThanOrEqual(1_000);
  });
});
