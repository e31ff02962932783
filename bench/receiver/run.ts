// Receiver benchmark: the receiver (both signature checks, batched enqueue
// into Redis, spool) against two baselines under the same signed load, one
// run on this machine: bare Express answering `success`, and the naive
// receiver (Express + one BullMQ queue.add per request, nothing verified).
// Rounds alternate the three so all see the same background load. Redis is
// the bench's own, pinned to the load generator's CPU, unless REDIS_URL
// names one.
// Usage (repo root): npm run bench:receiver
import { fileURLToPath } from 'node:url';
import { deleteQueuePrefix } from '@wxcs/queue/testing';
import { CONNECTIONS } from './load.js';
import { measure, median, type Measured } from './measure.js';
import { GENERATOR_CPU, SERVER_CPU, hasTaskset, pinSelf, spawnServer, startBenchRedis, type BenchRedis } from './processes.js';
import { startReceiverUnderTest, type DurabilityCheck } from './receiver-under-test.js';
import { createSignedRequests } from './signed-requests.js';

const options = {
  warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 3),
  seconds: Number(process.env.BENCH_SECONDS ?? 12),
};
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';

function row(m: Measured): string {
  const percent = (cores: number) => `${(cores * 100).toFixed(0)}%`;
  const perRequest = (cores: number) => ((cores * 1e6) / m.rps).toFixed(0);
  return `| ${[
    m.label,
    m.rps.toFixed(0),
    m.p50Ms.toFixed(1),
    m.p99Ms.toFixed(1),
    m.maxMs.toFixed(0),
    m.peakRssMb.toFixed(0),
    percent(m.serverCpu),
    perRequest(m.serverCpu),
    percent(m.generatorCpu),
    perRequest(m.redisCpu),
    percent(m.otherCpu),
    String(m.ok),
    String(m.failed),
  ].join(' | ')} |`;
}

interface Runs {
  readonly bare: Measured[];
  readonly naive: Measured[];
  readonly receiver: Measured[];
}

function report({ bare, naive, receiver }: Runs, check: DurabilityCheck, exitCode: number | null, logBytes: number, ownRedis: boolean): void {
  console.log(`\nnode ${process.version}, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ~${options.seconds} s after ${options.warmupSeconds} s warm-up each`);
  const redisPlace = ownRedis ? `the bench's own Redis pinned to CPU ${GENERATOR_CPU}` : 'Redis at REDIS_URL, unpinned';
  console.log(hasTaskset ? `load generator pinned to CPU ${GENERATOR_CPU}, server under test pinned to CPU ${SERVER_CPU}, ${redisPlace}` : 'taskset missing: nothing pinned');
  console.log('\n| run | req/s | p50 ms | p99 ms | max ms | peak RSS MB | server CPU | server CPU µs/req | generator CPU | Redis CPU µs/req | other CPU | 2xx | failed |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const m of [...bare, ...naive, ...receiver]) console.log(row(m));
  const rps = (runs: Measured[]) => median(runs.map((m) => m.rps));
  const perRound = (baseline: Measured[]) => receiver.map((m, i) => (m.rps / (baseline[i]?.rps ?? Number.NaN)).toFixed(3)).join(', ');
  console.log(`\nmedian req/s: bare ${rps(bare).toFixed(0)}, naive ${rps(naive).toFixed(0)}, receiver ${rps(receiver).toFixed(0)}`);
  console.log(`receiver ÷ naive: ratio of medians ${(rps(receiver) / rps(naive)).toFixed(3)}; per round ${perRound(naive)}`);
  console.log(`receiver ÷ bare: ratio of medians ${(rps(receiver) / rps(bare)).toFixed(3)}; per round ${perRound(bare)}`);
  // Each server has its own core, so a saturated server's throughput is 1 / its CPU cost per request.
  // The ratio of those costs is the same comparison, much less moved by other load on the machine.
  const cost = (runs: Measured[]) => median(runs.map((m) => (m.serverCpu * 1e6) / m.rps));
  console.log(`median server CPU µs/req: bare ${cost(bare).toFixed(0)}, naive ${cost(naive).toFixed(0)}, receiver ${cost(receiver).toFixed(0)}; cost ratio bare/receiver ${(cost(bare) / cost(receiver)).toFixed(3)}, naive/receiver ${(cost(naive) / cost(receiver)).toFixed(3)}`);
  if (ownRedis) {
    const redisCost = (runs: Measured[]) => median(runs.map((m) => (m.redisCpu * 1e6) / m.rps));
    console.log(`median Redis CPU µs/req: naive ${redisCost(naive).toFixed(0)}, receiver ${redisCost(receiver).toFixed(0)}`);
  }
  console.log(`receiver median p50 ${median(receiver.map((m) => m.p50Ms)).toFixed(1)} ms, p99 ${median(receiver.map((m) => m.p99Ms)).toFixed(1)} ms, peak RSS ${Math.max(...receiver.map((m) => m.peakRssMb)).toFixed(0)} MB`);
  console.log(`durability: acked ${check.acked} (spooled ${check.spooled}), callbacks in queue ${check.callbacksInQueue}, spool depth ${check.spoolDepth}, lost ${check.acked - check.callbacksInQueue}; 2xx seen by the load generator ${receiver.reduce((s, m) => s + m.ok, 0)} in measured runs`);
  console.log(`mean enqueue batch ${check.meanBatch.toFixed(1)}; receiver log ${(logBytes / 1e6).toFixed(1)} MB at LOG_LEVEL=${LOG_LEVEL}; receiver exit code after SIGTERM ${exitCode}`);
}

async function main(): Promise<void> {
  pinSelf();
  const ownRedis: BenchRedis | undefined = process.env.REDIS_URL === undefined ? await startBenchRedis() : undefined;
  try {
    await runBench(ownRedis?.url ?? (process.env.REDIS_URL as string), ownRedis);
  } finally {
    await ownRedis?.stop();
  }
}

async function runBench(redisUrl: string, ownRedis: BenchRedis | undefined): Promise<void> {
  const measureOptions = { ...options, redisPid: ownRedis?.pid };
  const nextRequest = createSignedRequests(1024);
  const naivePrefix = `bench-naive-${process.pid}`;
  const bareServer = await spawnServer(fileURLToPath(new URL('./bare-express.ts', import.meta.url)), {}, 'ignore');
  const naiveServer = await spawnServer(
    fileURLToPath(new URL('./naive-receiver.ts', import.meta.url)),
    { REDIS_URL: redisUrl, QUEUE_PREFIX: naivePrefix },
    'ignore',
  );
  const receiverServer = await startReceiverUnderTest(redisUrl, LOG_LEVEL);
  const runs: Runs = { bare: [], naive: [], receiver: [] };
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      runs.bare.push(await measure(`bare express #${round}`, bareServer, nextRequest, measureOptions));
      runs.naive.push(await measure(`naive receiver #${round}`, naiveServer, nextRequest, measureOptions));
      runs.receiver.push(await measure(`receiver #${round}`, receiverServer, nextRequest, measureOptions));
    }
    const check = await receiverServer.check();
    report(runs, check, await receiverServer.stop(), receiverServer.logBytes(), ownRedis !== undefined);
  } finally {
    await bareServer.stop();
    await naiveServer.stop();
    await deleteQueuePrefix(redisUrl, naivePrefix);
    await receiverServer.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
