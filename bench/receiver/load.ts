import { createRequire } from 'node:module';
import type { RequestSource } from './signed-requests.js';

export const CONNECTIONS = 32;

interface AutocannonResult {
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latency: { p50: number; p99: number; average: number; max: number };
}

type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadResult {
  readonly ok: number;
  readonly failed: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/**
 * Closed-loop load: CONNECTIONS keep-alive connections, one request in
 * flight each, each a new signed delivery. With `amount`
 * the run ends only when every response is in, so the 2xx count is exact.
 */
export async function runLoad(
  url: string,
  nextRequest: RequestSource,
  limit: { durationSeconds: number } | { amount: number },
): Promise<LoadResult> {
  const started = performance.now();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    pipelining: 1,
    ...('amount' in limit ? { amount: limit.amount } : { duration: limit.durationSeconds }),
    requests: [{ setupRequest: nextRequest }],
  });
  const seconds = (performance.now() - started) / 1000;
  return {
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
    seconds,
    rps: result['2xx'] / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
  };
}
