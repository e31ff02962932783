import { prepareLoad, runLoad, type LoadResult, type PreparedLoad } from './load.js';
import { cpuSeconds, machineBusySeconds, sampleRss, type ServerUnderTest } from './processes.js';
import type { RequestSource } from './signed-requests.js';

export interface Measured extends LoadResult {
  readonly label: string;
  /** Cores used by the server under test during the run (1.0 = its whole CPU). */
  readonly serverCpu: number;
  readonly peakRssMb: number;
  readonly generatorCpu: number;
  /** Cores used by the bench's Redis; 0 when Redis is not the bench's own. */
  readonly redisCpu: number;
  /** Cores used by everything else on the machine (other people's processes; Redis too if not the bench's own). */
  readonly otherCpu: number;
}

export interface MeasureOptions {
  readonly warmupSeconds: number;
  readonly seconds: number;
  /** The bench's own redis-server, whose CPU is reported on its own. */
  readonly redisPid?: number;
}

/** Writes a run's requests to a file, runs `run` over it, then removes the file. */
async function withPreparedLoad<T>(
  nextRequest: RequestSource,
  limit: { durationSeconds: number } | { amount: number },
  run: (load: PreparedLoad) => Promise<T>,
): Promise<T> {
  const load = await prepareLoad(nextRequest, limit);
  try {
    return await run(load);
  } finally {
    load.dispose();
  }
}

/**
 * Warm-up (JIT, keep-alive connections), then a fixed number of requests
 * sized from the warm-up rate, so every response is in when the run ends.
 * Requests are written before each run; the readings cover the run only.
 */
export async function measure(
  label: string,
  server: ServerUnderTest,
  nextRequest: RequestSource,
  options: MeasureOptions,
): Promise<Measured> {
  const warm = await withPreparedLoad(nextRequest, { durationSeconds: options.warmupSeconds }, (load) => runLoad(server.url, load));
  const amount = Math.max(1_000, Math.round(warm.rps * options.seconds));
  const redisCpuSeconds = () => (options.redisPid === undefined ? 0 : cpuSeconds(options.redisPid));
  return withPreparedLoad(nextRequest, { amount }, async (load) => {
    const [serverBefore, redisBefore, machineBefore, startedAt] = [cpuSeconds(server.pid), redisCpuSeconds(), machineBusySeconds(), performance.now()];
    const peakRss = sampleRss(server.pid);
    const result = await runLoad(server.url, load);
    const serverSeconds = cpuSeconds(server.pid) - serverBefore;
    const redisSeconds = redisCpuSeconds() - redisBefore;
    const machineSeconds = machineBusySeconds() - machineBefore;
    const wallSeconds = (performance.now() - startedAt) / 1000;
    // These readings span wrk's whole life; its reading of the requests is idle time for everything else.
    const otherSeconds = Math.max(0, machineSeconds - serverSeconds - redisSeconds - result.generatorSeconds - result.generatorStartSeconds);
    return {
      ...result,
      label,
      serverCpu: serverSeconds / result.seconds,
      peakRssMb: peakRss() / 1024 / 1024,
      generatorCpu: result.generatorSeconds / result.seconds,
      redisCpu: redisSeconds / result.seconds,
      otherCpu: otherSeconds / wallSeconds,
    };
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
