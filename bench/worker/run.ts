// Worker throughput benchmark: `npm run bench:worker`.
// Same machine, same pre-enqueued workload, five workers in alternating rounds:
//   (a) no-op BullMQ worker  (b) one Prisma create per job  (c) apps/worker
//   (d) (c)'s protocol work without storing anything: its ceiling, not a target
//   (e) (c) fed as the receiver feeds it: batches of 16 callbacks in wechat-intake, unpacked first.
// Env: BENCH_N (20000 callbacks), BENCH_ROUNDS (3), BENCH_CONCURRENCY (256, the worker default, every variant),
// BENCH_BATCH_SIZE (WORKER_BATCH_SIZE for (c)), BENCH_ONLY=c or a,c (some variants),
// BENCH_CPU_PROF=<dir> (a V8 CPU profile per worker), REDIS_URL.
import { buildWorkload } from './callbacks.js';
import { hasTaskset, pinSelf } from './processes.js';
import { formatReport } from './report.js';
import { VARIANTS, pendingCleanups, runVariant, type Result, type Variant, type VariantSettings } from './variant.js';

const N = Number(process.env.BENCH_N ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ONLY = process.env.BENCH_ONLY?.split(',');
const batchSize = process.env.BENCH_BATCH_SIZE;
const settings: VariantSettings = {
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  concurrency: process.env.BENCH_CONCURRENCY ?? '256',
  poolSize: '10',
  env: batchSize === undefined ? {} : { WORKER_BATCH_SIZE: batchSize },
  ...(process.env.BENCH_CPU_PROF === undefined ? {} : { cpuProfileDir: process.env.BENCH_CPU_PROF }),
};

let interrupted = false;
async function removeLeftovers(): Promise<void> {
  await Promise.allSettled([...pendingCleanups].map((cleanup) => cleanup()));
}
// An interrupted run (Ctrl-C, timeout) still stops its worker and removes its queue prefix and database.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    void removeLeftovers().then(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  pinSelf();
  const workload = buildWorkload(N, 0.1);
  const variants = (Object.keys(VARIANTS) as Variant[]).filter((name) => ONLY === undefined || ONLY.some((only) => name.startsWith(`${only})`)));
  const runs = new Map<Variant, Result[]>(variants.map((variant) => [variant, []]));
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const variant of variants) {
      const result = await runVariant(variant, workload, settings);
      console.error(`round ${round}: ${variant}: ${result.perSecond.toFixed(0)} msgs/s, ${result.workerCpuUsPerMessage.toFixed(0)} µs CPU/msg`);
      runs.get(variant)?.push(result);
    }
  }
  const pinning = hasTaskset ? 'worker pinned to CPU 1, bench to CPU 0' : 'no taskset: nothing pinned';
  console.log(formatReport(runs, workload, `concurrency ${settings.concurrency}, pool ${settings.poolSize}, ${pinning}`));
}

main().catch(async (error: unknown) => {
  await removeLeftovers();
  // After an interrupt, errors from connections closed under the run are expected.
  if (!interrupted) {
    console.error(error);
    process.exitCode = 1;
  }
});
