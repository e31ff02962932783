import { prepareLoad, runLoad, type LoadResult } from './load.js';
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

/** Writes the run's requests, then runs them; `startReadings` runs just before wrk starts and returns what runs once it has exited. */
async function runPrepared(
  url: string,
  nextRequest: RequestSource,
  limit: { durationSeconds: number } | { amount: number },
  startReadings: () => () => void = () => () => undefined,
) {
  const load = await prepareLoad(nextRequest, limit);
  try {
    const finishReadings = startReadings();
    const result = await runLoad(url, load);
    finishReadings();
    return result;
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
  const warm = await runPrepared(server.url, nextRequest, { durationSeconds: options.warmupSeconds });
  const amount = Math.max(1_000, Math.round(warm.rps * options.seconds));
  const redisCpuSeconds = () => (options.redisPid === undefined ? 0 : cpuSeconds(options.redisPid));
  let readings = { server: 0, redis: 0, machine: 0, wallSeconds: 0, peakRss: 0 };
  const result = await runPrepared(server.url, nextRequest, { amount }, () => {
    const [server0, redis0, machine0, wall0] = [cpuSeconds(server.pid), redisCpuSeconds(), machineBusySeconds(), performance.now()];
    const peakRss = sampleRss(server.pid);
    return () => {
      readings = {
        server: cpuSeconds(server.pid) - server0,
        redis: redisCpuSeconds() - redis0,
        machine: machineBusySeconds() - machine0,
        wallSeconds: (performance.now() - wall0) / 1000,
        peakRss: peakRss(),
      };
    };
  });
  // Readings span wrk's whole life; its reading of the requests is idle time for everything else.
  const generatorTotal = result.generatorSeconds + result.generatorStartSeconds;
  const other = Math.max(0, readings.machine - readings.server - generatorTotal - readings.redis);
  return {
    ...result,
    label,
    serverCpu: readings.server / result.seconds,
    peakRssMb: readings.peakRss / 1024 / 1024,
    generatorCpu: result.generatorSeconds / result.seconds,
    redisCpu: readings.redis / result.seconds,
    otherCpu: other / readings.wallSeconds,
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
