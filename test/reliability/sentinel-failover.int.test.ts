// Fault 6: the Redis master SIGKILLed mid-stream on Sentinel (one master, one
// replica, three sentinels); the sentinels promote the replica. Guarantee:
// every callback is answered `success` within WeChat's 5 s (the receiver
// spools while there is no master), and with RECEIVER_REPLICA_ACKS=1 every
// acknowledged callback is stored exactly once. Without replica acks,
// Redis's asynchronous replication may lose what the master acknowledged and
// never passed on: nothing is doubled, and what was lost is reported, not
// asserted.
import { createProducerRedis, type RedisConnection } from '@wxcs/queue';
import { describe, expect } from 'vitest';
import {
  readMetric,
  reportStats,
  startSignedLoad,
  startThrowawaySentinel,
  waitFor,
  WECHAT_ACK_BUDGET_MS,
  type LoadReport,
  type RedisProcess,
  type ThrowawaySentinel,
} from '@wxcs/testkit';
import { expectEveryMessageStoredOnce } from './support/guarantees.js';
import { pipelineTest, type Pipeline } from './support/pipeline.js';

// 14 s of load per case: the file's two failovers stay well within a minute.
const TOTAL = 2_100;
const RATE = 150;

const test = pipelineTest(async (cleanup) => {
  const sentinel = await startThrowawaySentinel();
  cleanup.defer('sentinel', sentinel.dispose);
  return { label: 'sentinel-failover', redis: sentinel, receiverEnv: { RECEIVER_REPLICA_ACKS: '1' } };
});

/** One short-lived connection to a data node or a sentinel. */
async function withClient<T>(process: RedisProcess, work: (client: RedisConnection) => Promise<T>): Promise<T> {
  const client = createProducerRedis({ kind: 'single', url: `redis://127.0.0.1:${process.port}` }, { retryStrategy: () => null });
  try {
    await client.connect();
    return await work(client);
  } finally {
    client.disconnect();
  }
}

/** The node is a replica whose link to its master is up (its first sync done). */
async function syncedReplica(node: RedisProcess): Promise<boolean> {
  const info = await withClient(node, (client) => client.info('replication'));
  return info.includes('role:slave') && info.includes('master_link_status:up');
}

/** Fields of a SENTINEL reply given as `[name, value, name, value, …]`. */
const field = (reply: readonly string[], name: string) => reply[reply.indexOf(name) + 1];

/**
 * The node that is not the master has finished its sync, and every sentinel
 * lists it as a replica in good standing: only then can it be promoted.
 */
async function replicaReady(sentinel: ThrowawaySentinel): Promise<boolean> {
  const master = await sentinel.master();
  const replica = sentinel.nodes.find((node) => node !== master);
  if (!replica?.isRunning()) return false;
  const views = await Promise.all(
    sentinel.sentinels.map((node) => withClient(node, (client) => client.call('SENTINEL', 'replicas', sentinel.masterName) as Promise<string[][]>)),
  );
  return views.every((replicas) =>
    replicas.some((entry) => field(entry, 'port') === String(replica.port) && field(entry, 'flags') === 'slave' && field(entry, 'master-link-status') === 'ok'),
  );
}

interface Failover {
  readonly load: LoadReport;
  readonly failoverMs: number;
  /** From the kill until the killed node, started again, is the new master's synced replica. */
  readonly replicaBackMs: number;
}

/**
 * Signed load through the pipeline; at a third of it the master is
 * SIGKILLed and the sentinels promote the replica. The killed node is then
 * started again, empty (no persistence), as a supervisor would, and the
 * sentinels make it the new master's replica.
 */
async function killMasterUnderLoad(pipeline: Pipeline<ThrowawaySentinel>, seed: number): Promise<Failover> {
  const sentinel = pipeline.redis;
  const run = startSignedLoad({ url: pipeline.callbackUrl, app: pipeline.credentials, ratePerSec: RATE, total: TOTAL, seed });
  await waitFor('a third of the load sent', () => run.progress().sent >= TOTAL / 3, { timeoutMs: 60_000, everyMs: 20 });
  const master = await sentinel.master();
  const replica = sentinel.nodes.find((node) => node !== master);
  if (!replica) throw new Error('the sentinel setup has no replica');

  const killedAt = Date.now();
  await master.kill();
  await waitFor('the sentinels to promote the replica', async () => (await sentinel.masterPort()) === replica.port, { timeoutMs: 20_000, everyMs: 100 });
  const failoverMs = Date.now() - killedAt;
  // Only once the replica is promoted: an empty node back as master before that would be synced from.
  await master.start();
  // Usually 12-13 s (acks=1) or 2-3 s (acks=0), at the sentinels' pace; one CI run took over 30 s,
  // with the acks=0 case at 13 s in that run too. Waiting is not what this test checks.
  const replicaBack = waitFor('the killed node back as a synced replica', () => syncedReplica(master), { timeoutMs: 60_000, everyMs: 100 }).then(
    () => Date.now() - killedAt,
  );
  const [load, replicaBackMs] = await Promise.all([run.done, replicaBack]);
  return { load, failoverMs, replicaBackMs };
}

/**
 * The receiver's spool traffic, with why callbacks were spooled: `rejected`
 * (no master to take them), `replicas` (WAIT counted too few), `timeout` (no
 * answer within RECEIVER_ENQUEUE_TIMEOUT_MS, e.g. queued behind other
 * batches' WAIT), `stalled` (sent straight to the spool while timed-out adds
 * were still pending).
 */
async function receiverFigures(pipeline: Pipeline<ThrowawaySentinel>) {
  const metrics = await pipeline.receiver().metrics();
  const reasons = ['rejected', 'replicas', 'timeout', 'stalled'] as const;
  const byReason = reasons.map((reason) => `${reason}:${readMetric(metrics, 'wxcs_receiver_enqueue_batch_size_sum', { outcome: 'spooled', reason })}`);
  return {
    spooled: readMetric(metrics, 'wxcs_receiver_requests_total', { outcome: 'spooled' }),
    spooledBy: byReason.join(','),
    drained: readMetric(metrics, 'wxcs_receiver_spool_drained_total'),
    // Jobs whose lock lapsed during the failover, handed back by BullMQ's stalled-job check (cumulative over the file).
    stalledJobs: pipeline.workers().reduce((sum, worker) => sum + worker.lines().filter((line) => line.includes('job stalled')).length, 0),
  };
}

describe('the Redis master SIGKILLed mid-stream on Sentinel', () => {
  test('RECEIVER_REPLICA_ACKS=1: answers every callback within 5 s and stores every acknowledged one exactly once', async ({ pipeline }) => {
    const { load, failoverMs, replicaBackMs } = await killMasterUnderLoad(pipeline, 61);

    // The spool drains only what a replica confirmed, so this also waits for the restarted node to sync.
    const settled = await pipeline.waitSettled(load, load.distinctAcknowledged, 60_000);
    const audit = await pipeline.audit(load);
    const figures = await receiverFigures(pipeline);
    reportStats({
      test: 'sentinel-failover',
      load,
      audit,
      extra: { replicaAcks: 1, ...figures, failoverMs, replicaBackMs, overBudget: load.overBudget, settleMs: settled.waitedMs },
    });

    expect(load.sent).toBe(TOTAL);
    expect(load.acknowledged, JSON.stringify(load.statuses)).toBe(load.sent);
    expect(load.ack.max).toBeLessThan(WECHAT_ACK_BUDGET_MS);
    expectEveryMessageStoredOnce(settled, audit, load);
    // Evidence that the fault hit the stream: callbacks went to the spool while there was no master or no replica.
    expect(figures.spooled, 'callbacks spooled during the failover').toBeGreaterThan(0);
  });

  test('RECEIVER_REPLICA_ACKS=0: answers every callback within 5 s, stores none twice, and reports what the failover lost', async ({ pipeline }) => {
    // The previous test left the killed node synced as the replica; this receiver does not wait for it.
    await pipeline.receiver().stop();
    await pipeline.startReceiver({ RECEIVER_REPLICA_ACKS: '0' });
    await waitFor('the restarted node synced and known to every sentinel as a healthy replica', () => replicaReady(pipeline.redis), { timeoutMs: 30_000, everyMs: 250 });
    const { load, failoverMs, replicaBackMs } = await killMasterUnderLoad(pipeline, 62);

    // Callbacks the master acknowledged and never passed on are gone for good, so the table may never
    // reach every acknowledged message: settled here means spool empty and queue drained.
    const settled = await pipeline.waitSettled(load, 0, 60_000);
    const audit = await pipeline.audit(load);
    const figures = await receiverFigures(pipeline);
    reportStats({
      test: 'sentinel-failover',
      load,
      audit,
      extra: { replicaAcks: 0, ...figures, failoverMs, replicaBackMs, overBudget: load.overBudget, settleMs: settled.waitedMs },
    });

    expect(load.sent).toBe(TOTAL);
    expect(load.acknowledged, JSON.stringify(load.statuses)).toBe(load.sent);
    expect(load.ack.max).toBeLessThan(WECHAT_ACK_BUDGET_MS);
    expect(settled.settled, JSON.stringify(settled)).toBe(true);
    expect(audit.duplicatesStored).toBe(0);
    expect(audit.unexpected).toBe(0);
    expect(figures.spooled, 'callbacks spooled during the failover').toBeGreaterThan(0);
  });
});
