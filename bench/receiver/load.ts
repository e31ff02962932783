import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATOR_CPU, hasTaskset } from './processes.js';
import type { RequestSource } from './signed-requests.js';

export const CONNECTIONS = 32;

/** Requests a warm-up prepares per second: more than any server here answers. */
const WARMUP_REQUESTS_PER_SECOND = 60_000;

const hasWrk = spawnSync('wrk', ['--version']).error === undefined;

export interface LoadResult {
  readonly ok: number;
  readonly failed: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** CPU-seconds the load generator spent sending, after it had read its requests. */
  readonly generatorSeconds: number;
  /** CPU-seconds the load generator spent reading its requests before sending. */
  readonly generatorStartSeconds: number;
}

interface WrkReport {
  readonly responses: number;
  readonly good: number;
  readonly socketErrors: number;
  readonly durationUs: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly maxUs: number;
  readonly generatorSeconds: number;
  readonly generatorStartSeconds: number;
}

const script = fileURLToPath(new URL('./send-prepared.lua', import.meta.url));

export interface PreparedLoad {
  readonly file: string;
  /** The run ends once this many responses are in; absent, it runs for `durationSeconds`. */
  readonly amount?: number;
  readonly durationSeconds?: number;
  readonly dispose: () => void;
}

/**
 * Writes the requests of one run to a file before it starts (one per two
 * lines: path with query, then body), so the generator spends its CPU on sending.
 */
export async function prepareLoad(nextRequest: RequestSource, limit: { durationSeconds: number } | { amount: number }): Promise<PreparedLoad> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-load-'));
  const file = join(dir, 'requests');
  // With an amount, spare requests cover those in flight when the run stops (and resends after a socket error).
  const count = 'amount' in limit ? limit.amount + 4 * CONNECTIONS : limit.durationSeconds * WARMUP_REQUESTS_PER_SECOND;
  const out = createWriteStream(file);
  for (let i = 0; i < count; i++) {
    const { path, body } = nextRequest();
    if (!out.write(`${path}\n${body}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  return { file, ...limit, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Closed-loop load from wrk (C, one thread, pinned to the generator's CPU):
 * CONNECTIONS keep-alive connections, one request in flight each, each a new
 * signed delivery. With an amount the run ends when that many responses are
 * in, so the count is exact.
 */
export async function runLoad(url: string, load: PreparedLoad): Promise<LoadResult> {
  if (!hasWrk) throw new Error('wrk not found: the receiver benchmarks send their load with wrk (Debian: apt-get install wrk)');
  // With an amount, the duration is only a backstop: the script stops the run.
  const seconds = load.amount === undefined ? (load.durationSeconds ?? 1) : 600;
  const wrk = ['wrk', '-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '10s', '-s', script, `${url}/wechat`, '--', load.file, String(load.amount ?? '')];
  const [command, args] = hasTaskset ? ['taskset', ['-c', GENERATOR_CPU, ...wrk]] : [wrk[0] as string, wrk.slice(1)];
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  let interrupted = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    // wrk's main thread would sleep out the backstop duration: the script says when it has stopped.
    if (!interrupted && /^stopped$/m.test(stdout)) interrupted = child.kill('SIGINT');
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const line = stdout.split('\n').find((l) => l.startsWith('{'));
  if (code !== 0 || line === undefined) throw new Error(`wrk exited with ${code}: ${stdout}`);
  const report = JSON.parse(line) as WrkReport;
  const runSeconds = report.durationUs / 1e6;
  return {
    ok: report.good,
    failed: report.responses - report.good + report.socketErrors,
    seconds: runSeconds,
    rps: report.good / runSeconds,
    p50Ms: report.p50Us / 1000,
    p99Ms: report.p99Us / 1000,
    maxMs: report.maxUs / 1000,
    generatorSeconds: report.generatorSeconds,
    generatorStartSeconds: report.generatorStartSeconds,
  };
}
