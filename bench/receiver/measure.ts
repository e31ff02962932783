import { runLoad, type LoadResult } from './load.js';
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

/**
 * Warm-up (JIT, keep-alive connections), then a fixed number of requests
 * sized from the warm-up rate, so every response is in when the run ends.
 */
export async function measure(
  label: string,
  server: ServerUnderTest,
  nextRequest: RequestSource,
  options: MeasureOptions,
): Promise<Measured> {
  const warm = await runLoad(server.url, nextRequest, { durationSeconds: options.warmupSeconds });
  const amount = Math.max(1_000, Math.round(warm.rps * options.seconds));
  const redisCpuSeconds = () => (options.redisPid === undefined ? 0 : cpuSeconds(options.redisPid));
  const cpuBefore = cpuSeconds(server.pid);
  const redisBefore = redisCpuSeconds();
  const machineBefore = machineBusySeconds();
  const generatorBefore = process.cpuUsage();
  const peakRss = sampleRss(server.pid);
  const result = await runLoad(server.url, nextRequest, { amount });
  const generator = process.cpuUsage(generatorBefore);
  const serverCpu = (cpuSeconds(server.pid) - cpuBefore) / result.seconds;
  const generatorCpu = (generator.user + generator.system) / 1e6 / result.seconds;
  const redisCpu = (redisCpuSeconds() - redisBefore) / result.seconds;
  const machineCpu = (machineBusySeconds() - machineBefore) / result.seconds;
  return {
    ...result,
    label,
    serverCpu,
    peakRssMb: peakRss() / 1024 / 1024,
    generatorCpu,
    redisCpu,
    otherCpu: Math.max(0, machineCpu - serverCpu - generatorCpu - redisCpu),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
