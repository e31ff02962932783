import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { startThrowawayRedis } from '@wxcs/testkit';

/** CPU the load generator (this process) runs on, and the one the server under test gets. */
export const GENERATOR_CPU = '0';
export const SERVER_CPU = '1';

export const hasTaskset = spawnSync('taskset', ['--version']).status === 0;

/** Pins every thread of this process to the generator's CPU. */
export function pinSelf(): void {
  if (hasTaskset) spawnSync('taskset', ['-a', '-cp', GENERATOR_CPU, String(process.pid)], { stdio: 'ignore' });
}

export interface BenchRedis {
  readonly url: string;
  readonly pid: number;
  readonly stop: () => Promise<void>;
}

/**
 * The bench's own redis-server, pinned to the load generator's CPU: the
 * server under test keeps its core to itself (the scheduler would otherwise
 * run Redis there part of the time, and charge that to whichever server
 * wakes it most), and other tenants' Redis traffic stays out of the figures.
 */
export async function startBenchRedis(): Promise<BenchRedis> {
  const redis = await startThrowawayRedis();
  const pid = Number((await redis.info('server')).process_id);
  if (hasTaskset) spawnSync('taskset', ['-a', '-cp', GENERATOR_CPU, String(pid)], { stdio: 'ignore' });
  return { url: redis.url, pid, stop: redis.dispose };
}

export async function sparePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface ServerUnderTest {
  readonly url: string;
  /** Where the server's /metrics answer (the receiver's ops port). */
  readonly opsUrl: string;
  readonly pid: number;
  readonly stop: () => Promise<number | null>;
}

/**
 * One node process, pinned to SERVER_CPU, TypeScript loaded through tsx's
 * hooks (both servers alike), so the pid measured is the server itself.
 */
export async function spawnServer(entry: string, env: Record<string, string>, stdout: 'ignore' | number): Promise<ServerUnderTest> {
  const [port, opsPort] = [await sparePort(), await sparePort()];
  // BENCH_CPU_PROF_DIR: both servers write a V8 CPU profile there when they exit.
  const profileDir = process.env.BENCH_CPU_PROF_DIR;
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const nodeArgs = [...profiling, '--conditions=source', '--import', 'tsx', entry];
  const [command, args] = hasTaskset ? ['taskset', ['-c', SERVER_CPU, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const child: ChildProcess = spawn(command, args, {
    env: { ...process.env, ...env, PORT: String(port), RECEIVER_OPS_PORT: String(opsPort) },
    stdio: ['ignore', stdout, 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilListening(url, child);
  return {
    url,
    opsUrl: `http://127.0.0.1:${opsPort}`,
    pid: child.pid ?? -1,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      const exited = once(child, 'exit') as Promise<[number | null]>;
      child.kill('SIGTERM');
      return (await exited)[0];
    },
  };
}

async function waitUntilListening(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      await fetch(`${url}/healthz`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`server at ${url} did not start`);
}

/** utime + stime of a process (all threads), in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat(5); index 0 here is field 3.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

/** Samples a process's RSS until stopped; returns the peak. */
export function sampleRss(pid: number, everyMs = 250): () => number {
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid));
  }, everyMs);
  return () => {
    clearInterval(timer);
    return Math.max(peak, rssBytes(pid));
  };
}

/** Busy CPU-seconds of the whole machine so far (all cores), from /proc/stat. */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100;
}
