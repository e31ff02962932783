import { randomBytes } from 'node:crypto';
import { loadReceiverConfig } from '@wxcs/config';
import { createProducerRedis, intakeQueue, type CallbackBatch } from '@wxcs/queue';
import { makeTempDir, readMetric, sleep, waitFor } from '@wxcs/testkit';
import { topologyTest as test } from '@wxcs/testkit/fixtures';
import { sampleCredentials, simulateCallback } from '@wxcs/wechat/testing';
import { describe, expect } from 'vitest';
import { openQueueProbe, startTestReceiver } from '../testing/receiver-harness.js';
import { TEST_APPS, getPath, postCallback } from '../testing/requests.js';

const credentials = sampleCredentials();

describe('RECEIVER_REPLICA_ACKS=1 on Redis Sentinel', () => {
  test('acknowledges from Redis while the replica is up, from the spool while it is down, and drains only what the replica confirmed', async ({
    sentinel,
    cleanup,
  }) => {
    const prefix = `test-replica-acks-${randomBytes(4).toString('hex')}`;
    const spoolDir = await makeTempDir('replica-acks-spool');
    cleanup.defer('spool dir', spoolDir.remove);
    const receiver = await startTestReceiver({
      prefix,
      apps: TEST_APPS,
      spoolDir: spoolDir.path,
      redisEnv: sentinel.env,
      env: { RECEIVER_REPLICA_ACKS: '1', RECEIVER_REPLICA_ACK_TIMEOUT_MS: '200' },
      drainIntervalMs: 50,
    });
    cleanup.defer('receiver', receiver.stop);
    const probe = await openQueueProbe(prefix, loadReceiverConfig({ ...sentinel.env, QUEUE_PREFIX: prefix }).redis.target);
    cleanup.defer('probe', probe.close);

    const master = await sentinel.master();
    const replica = sentinel.nodes.find((node) => node !== master);
    if (!replica) throw new Error('the sentinel setup has no replica');
    // The replica is read directly: what it holds is what a failover would keep.
    const onReplica = createProducerRedis({ kind: 'single', url: `redis://:${sentinel.env.REDIS_PASSWORD ?? ''}@127.0.0.1:${replica.port}` });
    // It reconnects on its own while the replica is killed; those refusals are expected.
    onReplica.on('error', () => undefined);
    cleanup.defer('replica client', async () => void onReplica.disconnect());
    // The callbacks in the intake batches the replica holds, once per callback id.
    const replicaWaiting = async () => {
      if (onReplica.status !== 'ready') await onReplica.connect();
      const ids = await onReplica.lrange(`${prefix}:${intakeQueue.name}:wait`, 0, -1);
      const callbackIds = new Set<string>();
      for (const id of ids) {
        const data = await onReplica.hget(`${prefix}:${intakeQueue.name}:${id}`, 'data');
        for (const callback of (JSON.parse(data ?? '{"callbacks":[]}') as CallbackBatch).callbacks) callbackIds.add(callback.callbackId);
      }
      return callbackIds.size;
    };

    const send = (nonces: readonly string[]) =>
      Promise.all(
        nonces.map((nonce) =>
          postCallback(receiver.url, '/wechat/default', simulateCallback({ app: credentials, message: 'text', format: 'json', mode: 'safe', nonce })),
        ),
      );
    const requests = async (outcome: string) =>
      readMetric((await getPath(receiver.opsUrl, '/metrics')).text, 'wxcs_receiver_requests_total', { outcome });

    // Replica up: WAIT is answered, so each callback is acknowledged from Redis.
    const first = ['up-1', 'up-2', 'up-3'];
    expect((await send(first)).map((answer) => answer.text)).toEqual(['success', 'success', 'success']);
    expect(await requests('queued')).toBe(3);
    expect(receiver.spool.depth()).toBe(0);
    expect(await replicaWaiting()).toBe(3);

    // Replica down: the master takes the adds, WAIT counts no replica, so the spool answers.
    await replica.kill();
    const second = ['down-1', 'down-2', 'down-3'];
    expect((await send(second)).map((answer) => answer.text)).toEqual(['success', 'success', 'success']);
    expect(await requests('spooled')).toBe(3);
    const exposition = (await getPath(receiver.opsUrl, '/metrics')).text;
    expect(readMetric(exposition, 'wxcs_receiver_enqueue_batch_size_sum', { outcome: 'spooled', reason: 'replicas' })).toBe(3);

    // The drain keeps trying (Redis is up) but may not delete a segment no replica confirmed.
    await sleep(600);
    expect(receiver.spool.depth()).toBe(3);

    // Replica back: the drain's WAIT is answered, the segment goes, and the replica has all six.
    await replica.start();
    await waitFor('the spool to drain once the replica is back', () => receiver.spool.depth() === 0, { timeoutMs: 15_000 });
    expect(await replicaWaiting()).toBe(6);
    expect((await probe.callbacks()).map((callback) => callback.query.nonce).toSorted()).toEqual([...first, ...second].toSorted());
  });
});
