// The receiver against itself at another checkout, in alternating rounds under
// the same signed load and the bench's own Redis: "is this change slower?".
// The other checkout needs its own `npm ci` (its workspace links point into it).
// Usage (repo root): BENCH_BASELINE_DIR=/path/to/other/checkout npm run bench:receiver:compare
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median, type Measured } from './measure.js';
import { pinSelf, spawnServer, startBenchRedis } from './processes.js';
import { BENCH_APP, createSignedRequests } from './signed-requests.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const baselineDir = process.env.BENCH_BASELINE_DIR;
if (baselineDir === undefined) throw new Error('BENCH_BASELINE_DIR: the checkout to compare with');

const entries = {
  baseline: join(baselineDir, 'apps/receiver/src/main.ts'),
  current: fileURLToPath(new URL('../../apps/receiver/src/main.ts', import.meta.url)),
};
type Variant = keyof typeof entries;

async function run(variant: Variant, round: number, redis: { url: string; pid: number }): Promise<Measured> {
  const work = mkdtempSync(join(tmpdir(), 'bench-compare-'));
  try {
    const server = await spawnServer(
      entries[variant],
      {
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        REDIS_URL: redis.url,
        QUEUE_PREFIX: `bench-compare-${variant}-${round}`,
        RECEIVER_SPOOL_DIR: join(work, 'spool'),
        HOST: '127.0.0.1',
        WECHAT_TOKEN: BENCH_APP.token,
        WECHAT_ENCODING_AES_KEY: BENCH_APP.encodingAesKey,
        WECHAT_APP_ID: BENCH_APP.appId,
      },
      openSync(join(work, 'receiver.log'), 'w'),
    );
    const measured = await measure(`${variant} #${round + 1}`, server, createSignedRequests(50_000), { warmupSeconds: 3, seconds: 10, redisPid: redis.pid });
    await server.stop();
    return measured;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  pinSelf();
  const redis = await startBenchRedis();
  const results: Record<Variant, Measured[]> = { baseline: [], current: [] };
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      // Each variant goes first in every other round, so neither always meets a warmer machine.
      const order: Variant[] = round % 2 === 0 ? ['baseline', 'current'] : ['current', 'baseline'];
      for (const variant of order) {
        const m = await run(variant, round, redis);
        results[variant].push(m);
        const perRequest = (cores: number) => ((cores * 1e6) / m.rps).toFixed(1);
        console.log(`| ${m.label} | ${m.rps.toFixed(0)} | ${perRequest(m.serverCpu)} | ${(m.serverCpu * 100).toFixed(0)}% | ${perRequest(m.redisCpu)} | ${m.p99Ms.toFixed(0)} | ${m.failed} |`);
      }
    }
  } finally {
    await redis.stop();
  }
  const rps = (runs: Measured[]) => median(runs.map((m) => m.rps));
  const cost = (runs: Measured[]) => median(runs.map((m) => (m.serverCpu * 1e6) / m.rps));
  const [baseline, current] = [results.baseline, results.current];
  console.log(`\nmedians: baseline ${rps(baseline).toFixed(0)} req/s at ${cost(baseline).toFixed(1)} µs/req; current ${rps(current).toFixed(0)} req/s at ${cost(current).toFixed(1)} µs/req`);
  console.log(`current ÷ baseline: throughput ${(rps(current) / rps(baseline)).toFixed(3)}, server CPU per request ${(cost(current) / cost(baseline)).toFixed(3)}`);
}

await main();
