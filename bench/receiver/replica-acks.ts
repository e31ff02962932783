import { spawnSync } from 'node:child_process';
import { createProducerRedis } from '@wxcs/queue';
import { startThrowawayRedis, waitFor, type ThrowawayRedis } from '@wxcs/testkit';
import { measure } from './measure.js';
import { GENERATOR_CPU, hasTaskset, pinSelf } from './processes.js';
import { startReceiverUnderTest } from './receiver-under-test.js';
import { createSignedRequests } from './signed-requests.js';

/**
 * The cost of RECEIVER_REPLICA_ACKS: the receiver against a master with one
 * replica, 0 and 1 replica acks in alternating rounds under the same load.
 * `npm run bench:receiver:replica-acks` (ROUNDS, SECONDS to change the run).
 */
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const SECONDS = Number(process.env.SECONDS ?? 5);

// Both Redis nodes share the generator's CPU, as the main receiver bench runs its Redis.
async function pinToGenerator(redis: ThrowawayRedis): Promise<void> {
  const pid = (await redis.info('server')).process_id;
  if (hasTaskset && pid !== undefined) spawnSync('taskset', ['-a', '-cp', GENERATOR_CPU, pid], { stdio: 'ignore' });
}

async function main(): Promise<void> {
  pinSelf();
  const master = await startThrowawayRedis();
  const replica = await startThrowawayRedis();
  try {
    for (const node of [master, replica]) await pinToGenerator(node);
    const control = createProducerRedis({ kind: 'single', url: replica.url });
    await control.connect();
    await control.call('REPLICAOF', '127.0.0.1', String(master.port));
    control.disconnect();
    await waitFor('the replica to sync', async () => (await replica.info('replication')).master_link_status === 'up');

    const nextRequest = createSignedRequests(1024);
    const rows: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const acks of ['0', '1']) {
        const receiver = await startReceiverUnderTest(master.url, 'warn', { RECEIVER_REPLICA_ACKS: acks });
        try {
          const run = await measure(`acks=${acks} #${round}`, receiver, nextRequest, { warmupSeconds: 2, seconds: SECONDS });
          const check = await receiver.check();
          const cpuMsPerThousand = ((run.serverCpu * run.seconds) / run.ok) * 1e6;
          rows.push(
            `| ${acks} | ${round} | ${Math.round(run.rps)} | ${run.p50Ms} | ${run.p99Ms} | ${cpuMsPerThousand.toFixed(0)} | ${check.meanBatch.toFixed(1)} | ${check.spooled} | ${run.failed} |`,
          );
        } finally {
          await receiver.dispose();
        }
      }
    }
    process.stdout.write(
      [
        '| RECEIVER_REPLICA_ACKS | round | req/s | p50 ms | p99 ms | receiver CPU ms / 1000 callbacks | callbacks / batch | spooled | failed |',
        '|---|---|---|---|---|---|---|---|---|',
        ...rows,
        '',
      ].join('\n'),
    );
  } finally {
    await replica.dispose();
    await master.dispose();
  }
}

await main();
