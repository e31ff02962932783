// Fault 7: the whole pipeline on Redis Cluster (three masters with a replica
// each): receiver, two workers and the dashboard. The master that serves the
// queues' slot (every key shares the prefix's {tag}) is SIGKILLed mid-stream
// and its replica takes over. Guarantee: every callback is answered `success`
// within WeChat's 5 s, and every acknowledged one is stored exactly once.
// Dead letters written before the kill are still there after it, and a replay
// through the dashboard on the promoted master runs each of them once.
import { randomBytes } from 'node:crypto';
import { describe, expect } from 'vitest';
import { simulateCallback } from '@wxcs/wechat/testing';
import {
  freePort,
  readMetric,
  reportStats,
  startAppProcess,
  startSignedLoad,
  startThrowawayCluster,
  waitFor,
  WECHAT_ACK_BUDGET_MS,
  type ThrowawayCluster,
} from '@wxcs/testkit';
import { expectEveryMessageStoredOnce } from './support/guarantees.js';
import { query, send } from './support/hostile-requests.js';
import { pipelineTest, type Pipeline } from './support/pipeline.js';

const TOTAL = 3_000;
const RATE = 150;
/** Callbacks encrypted for another appid: the receiver cannot tell (it checks the signature only), the workers dead-letter them. */
const FOREIGN = 3;
const operator = { user: 'operator', password: randomBytes(12).toString('hex') };

const test = pipelineTest(async (cleanup) => {
  const cluster = await startThrowawayCluster();
  cleanup.defer('cluster', cluster.dispose);
  return { label: 'cluster-failover', redis: cluster, workers: 2 };
}).extend('dashboard', { scope: 'file' }, async ({ pipeline, cleanup }) => {
  const dashboard = startAppProcess({
    app: 'dashboard',
    port: await freePort(),
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      ...pipeline.redisEnv,
      QUEUE_PREFIX: pipeline.prefix,
      DASHBOARD_USER: operator.user,
      DASHBOARD_PASSWORD: operator.password,
    },
  });
  cleanup.defer('dashboard', () => dashboard.stop());
  await dashboard.waitReady();
  return dashboard;
});

async function sendForeignCallbacks(pipeline: Pipeline<ThrowawayCluster>): Promise<void> {
  for (let i = 0; i < FOREIGN; i += 1) {
    const foreign = simulateCallback({ app: { ...pipeline.credentials, appId: 'wx0000000000foreign' }, message: 'text', format: 'xml', mode: 'safe', nonce: `foreign-${i}` });
    const answer = await send(pipeline.receiver().url, { search: query(foreign.query), body: foreign.body, headers: { 'content-type': 'text/xml' } });
    expect(answer.text).toBe('success');
  }
}

/** Dead letters written by the workers so far, over both replicas. */
async function deadLettered(pipeline: Pipeline<ThrowawayCluster>): Promise<number> {
  const counts = await Promise.all(pipeline.workers().map(async (worker) => readMetric(await worker.metrics(), 'wxcs_worker_dead_letters_total')));
  return counts.reduce((sum, count) => sum + count, 0);
}

describe('the master serving the queues SIGKILLed mid-stream on Redis Cluster', () => {
  test('answers every callback within 5 s, stores every one exactly once, and replays dead letters once', async ({ pipeline, dashboard }) => {
    const cluster = pipeline.redis;
    await sendForeignCallbacks(pipeline);
    await waitFor('the foreign callbacks dead-lettered', async () => (await pipeline.queueCounts()).deadLetters === FOREIGN, { timeoutMs: 30_000 });

    const run = startSignedLoad({ url: pipeline.callbackUrl, app: pipeline.credentials, ratePerSec: RATE, total: TOTAL, seed: 71 });
    await waitFor('a third of the load sent', () => run.progress().sent >= TOTAL / 3, { timeoutMs: 60_000, everyMs: 20 });
    const killed = await cluster.masterOf(pipeline.prefix);
    const killedAt = Date.now();
    await killed.kill();
    const promoted = await waitFor('a replica to take over the queues’ slot', async () => {
      const master = await cluster.masterOf(pipeline.prefix);
      return master !== killed && master;
    }, { timeoutMs: 20_000, everyMs: 100 });
    const failoverMs = Date.now() - killedAt;
    const load = await run.done;

    const settled = await pipeline.waitSettled(load, load.distinctAcknowledged, 60_000);
    const audit = await pipeline.audit(load);
    const receiverMetrics = await pipeline.receiver().metrics();
    const spooled = readMetric(receiverMetrics, 'wxcs_receiver_requests_total', { outcome: 'spooled' });
    const drained = readMetric(receiverMetrics, 'wxcs_receiver_spool_drained_total');
    const deadLettersAfterFailover = (await pipeline.queueCounts()).deadLetters;

    // The operator replays every dead letter through the dashboard, on the promoted master.
    const replay = await fetch(`${dashboard.url}/dead-letters/replay-all`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${operator.user}:${operator.password}`).toString('base64')}`,
        origin: dashboard.url,
        'sec-fetch-site': 'same-origin',
        accept: 'application/json',
      },
    });
    const replayed = replay.ok ? ((await replay.json()) as { replayed: string[] }).replayed : [];
    // Each replayed callback is still for a foreign appid: the workers run it once and dead-letter it once more.
    await waitFor('the replayed callbacks dead-lettered again', async () => (await deadLettered(pipeline)) >= 2 * FOREIGN, { timeoutMs: 30_000 });
    const afterReplay = await pipeline.waitSettled(load, load.distinctAcknowledged, 30_000);
    const deadLetteredInAll = await deadLettered(pipeline);
    const stalled = pipeline.workers().reduce((sum, worker) => sum + worker.lines().filter((line) => line.includes('job stalled')).length, 0);
    reportStats({
      test: 'cluster-failover',
      load,
      audit,
      extra: {
        spooled,
        drained,
        failoverMs,
        killedPort: killed.port,
        promotedPort: promoted.port,
        stalledJobs: stalled,
        overBudget: load.overBudget,
        deadLettersAfterFailover,
        replayed: replayed.length,
        deadLetteredInAll,
        deadLettersAfterReplay: afterReplay.counts?.deadLetters ?? -1,
        settleMs: settled.waitedMs,
      },
    });

    expect(load.sent).toBe(TOTAL);
    expect(load.acknowledged, JSON.stringify(load.statuses)).toBe(load.sent);
    expect(load.ack.max).toBeLessThan(WECHAT_ACK_BUDGET_MS);
    expectEveryMessageStoredOnce(settled, audit, load);
    expect(deadLettersAfterFailover, 'dead letters written before the kill survive it').toBe(FOREIGN);
    expect(replay.status).toBe(200);
    expect(replayed).toHaveLength(FOREIGN);
    expect(afterReplay.settled, JSON.stringify(afterReplay)).toBe(true);
    // Handled once, not multiplied: each replayed callback run and dead-lettered once more, and the table unchanged.
    expect(deadLetteredInAll).toBe(2 * FOREIGN);
    expect(afterReplay.counts?.deadLetters).toBe(FOREIGN);
    expect(await pipeline.audit(load)).toEqual(audit);
    // Evidence that the fault hit the stream (checked last, so a broken guarantee is reported as such).
    expect(spooled, 'callbacks spooled while the slot had no master').toBeGreaterThan(0);
  });
});
