import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** This process (enqueuing, polling) on CPU 0; the worker under test gets CPU 1 to itself. */
const BENCH_CPU = '0';
const WORKER_CPU = '1';
export const hasTaskset = spawnSync('taskset', ['--version']).status === 0;

export function pinSelf(): void {
  if (hasTaskset) spawnSync('taskset', ['-a', '-cp', BENCH_CPU, String(process.pid)], { stdio: 'ignore' });
}

export interface WorkerProcess {
  readonly pid: number;
  /** Resolves on the worker's `worker started` log line; rejects if it exits first. */
  readonly ready: Promise<void>;
  readonly isGone: () => boolean;
  readonly stop: () => Promise<void>;
}

/**
 * One worker as a node process under tsx (all variants alike) with the
 * entry's node flags, pinned to WORKER_CPU; `taskset` execs node, so the pid
 * is the worker's own.
 */
export function spawnWorker(
  entry: { readonly script: string; readonly nodeFlags: readonly string[] },
  env: Record<string, string>,
  cpuProfileDir?: string,
): WorkerProcess {
  const { script, nodeFlags } = entry;
  const profile = cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`];
  const nodeArgs = [...nodeFlags, ...profile, '--import', 'tsx', '--conditions=source', script];
  const [command, args] = hasTaskset ? ['taskset', ['-c', WORKER_CPU, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let gone = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => (gone = true));
  const ready = new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (seen.length < 100_000) seen += chunk.toString();
      if (seen.includes('"msg":"worker started"')) resolve();
    });
    void exited.then(() => reject(new Error(`${script} exited before it was ready:\n${seen}`)));
  });
  ready.catch(() => undefined);
  return {
    pid: child.pid ?? -1,
    ready,
    isGone: () => gone,
    stop: async () => {
      if (!gone) child.kill('SIGTERM');
      await exited;
    },
  };
}
