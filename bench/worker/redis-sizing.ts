// `npm run bench:redis-sizing`: what one Redis costs per callback in this
// pipeline, measured on a Redis of its own (so its CPU counters are ours
// alone): its CPU for the receiver's add and for the worker's fetch and
// completion, and its memory per queued callback. From these: how many
// callbacks per second one Redis core sustains, and how many worker
// replicas it feeds before it saturates (docs/operations.md, "Sizing").
//
//   BENCH_N   callbacks (20000)
import { createTestDatabase } from '@wxcs/db/testing';
import { createProducerRedis, inboundQueue, openQueue, type InboundQueue } from '@wxcs/queue';
import { freePort, startThrowawayRedis } from '@wxcs/testkit';
import type { Redis } from 'ioredis';
import { buildWorkload, type Workload } from './callbacks.js';
import { BENCH_APP } from './child-env.js';
import { readProcessCpuMs } from './measure.js';
import { pinSelf, spawnWorker } from './processes.js';
import { VARIANTS } from './variant.js';

const total = Number(process.env.BENCH_N ?? 20_000);
const IN_FLIGHT = 256;

interface RedisCounters {
  readonly cpuMs: number;
  readonly memoryBytes: number;
}

async function redisCounters(redis: Redis): Promise<RedisCounters> {
  const info = await redis.info();
  const field = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return { cpuMs: (field('used_cpu_sys') + field('used_cpu_user')) * 1_000, memoryBytes: field('used_memory') };
}

/** One `add` per callback with the receiver's options, IN_FLIGHT at a time, as the receiver adds them. */
async function enqueueLikeTheReceiver(queue: InboundQueue, workload: Workload): Promise<void> {
  const options = inboundQueue.jobOptions({ attempts: 10 });
  let next = 0;
  const lane = async () => {
    while (next < workload.deliveries.length) {
      const callback = workload.deliveries[next++]!;
      await queue.add(inboundQueue.jobName, callback, { ...options, jobId: inboundQueue.jobId(callback) });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
}

async function waitDrained(queue: InboundQueue, isGone: () => boolean): Promise<void> {
  for (;;) {
    const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'failed');
    if ((counts.failed ?? 0) > 0) throw new Error('some jobs failed');
    if ((counts.wait ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0) === 0) return;
    if (isGone()) throw new Error('the worker exited before draining the queue');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main(): Promise<void> {
  pinSelf();
  const workload = buildWorkload(total, 0.1);
  // As compose runs it: AOF fsynced every second.
  const server = await startThrowawayRedis({ appendOnly: true });
  const database = await createTestDatabase('bench-redis-sizing');
  const redis = createProducerRedis({ kind: 'single', url: server.url }) as Redis;
  await redis.connect();
  const prefix = 'sizing';
  const queue = openQueue(inboundQueue, { connection: redis, prefix });
  try {
    const empty = await redisCounters(redis);
    let started = performance.now();
    await enqueueLikeTheReceiver(queue, workload);
    const addSeconds = (performance.now() - started) / 1_000;
    const queued = await redisCounters(redis);

    const worker = spawnWorker(VARIANTS['c) apps/worker (batched)'], {
      REDIS_URL: server.url,
      QUEUE_PREFIX: prefix,
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: '10',
      WORKER_CONCURRENCY: '256',
      WORKER_PORT: String(await freePort()),
      WECHAT_APPS: JSON.stringify([BENCH_APP]),
    });
    try {
      await worker.ready;
      const [before, workerCpuBefore] = [await redisCounters(redis), await readProcessCpuMs(worker.pid)];
      started = performance.now();
      await waitDrained(queue, worker.isGone);
      const drainSeconds = (performance.now() - started) / 1_000;
      const [after, workerCpuAfter] = [await redisCounters(redis), await readProcessCpuMs(worker.pid)];

      const n = workload.deliveries.length;
      const addUs = ((queued.cpuMs - empty.cpuMs) * 1_000) / n;
      const consumeUs = ((after.cpuMs - before.cpuMs) * 1_000) / n;
      const perCallbackUs = addUs + consumeUs;
      const redisCapacity = 1_000_000 / perCallbackUs;
      const workerRate = n / drainSeconds;
      const workerCpuShare = (workerCpuAfter - workerCpuBefore) / 1_000 / drainSeconds;
      const lines = [
        `${n} callbacks (${workload.distinct} distinct), one Redis 7 (AOF everysec) of its own, node ${process.version}.`,
        '',
        '| measure | value |',
        '| --- | ---: |',
        `| Redis CPU per add (the receiver's \`add\`, ${IN_FLIGHT} in flight) | ${addUs.toFixed(1)} µs |`,
        `| Redis CPU per job consumed (the worker's fetch, completion and trimming) | ${consumeUs.toFixed(1)} µs |`,
        `| Redis CPU per callback, end to end | ${perCallbackUs.toFixed(1)} µs |`,
        `| callbacks per second one Redis core sustains (1 s / CPU per callback) | ${Math.round(redisCapacity)} |`,
        `| Redis memory per queued callback | ${Math.round((queued.memoryBytes - empty.memoryBytes) / n)} bytes |`,
        `| adds per second from this process | ${Math.round(n / addSeconds)} |`,
        `| one worker replica: callbacks per second (CPU share of its core) | ${Math.round(workerRate)} (${Math.round(workerCpuShare * 100)}%) |`,
        `| worker replicas one Redis feeds before it saturates | ${(redisCapacity / workerRate).toFixed(1)} |`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      await worker.stop();
    }
  } finally {
    await queue.close();
    redis.disconnect();
    await database.drop();
    await server.dispose();
  }
}

await main();
