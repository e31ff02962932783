import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sleep } from '../wait-for.js';

export type AppName = 'receiver' | 'worker' | 'dashboard' | 'support';

/** The environment variable each app listens on. */
const PORT_VARIABLE: Readonly<Record<AppName, string>> = {
  receiver: 'PORT',
  worker: 'WORKER_PORT',
  dashboard: 'DASHBOARD_PORT',
  support: 'SUPPORT_PORT',
};

/** Repository root (this file is only ever run from sources). */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface AppProcessOptions {
  readonly app: AppName;
  readonly port: number;
  /** The receiver's RECEIVER_OPS_PORT (probes and metrics); the other apps serve those on `port`. */
  readonly opsPort?: number;
  /** The app's configuration; PATH and the port variable are added. Nothing else is inherited. */
  readonly env: Readonly<Record<string, string>>;
  /** Directory holding `src/main.ts`; default `apps/<app>` (a mutant copy for break demonstrations). */
  readonly appDir?: string;
  /** Probe `waitReady` polls; default `/readyz`. */
  readonly readyPath?: string;
}

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface AppProcess {
  readonly app: AppName;
  readonly pid: number;
  readonly url: string;
  /** Where /healthz, /readyz and /metrics answer. */
  readonly opsUrl: string;
  readonly exited: Promise<ExitStatus>;
  /** Resolves once the probe answers 200; rejects if the process exits first or after `timeoutMs`. */
  readonly waitReady: (timeoutMs?: number) => Promise<void>;
  /** Sends `signal` (default SIGTERM) and waits for the exit; SIGKILL after `timeoutMs`. */
  readonly stop: (signal?: NodeJS.Signals, timeoutMs?: number) => Promise<ExitStatus>;
  readonly kill: () => Promise<ExitStatus>;
  readonly isRunning: () => boolean;
  /** Every line written to stdout and stderr so far. */
  readonly lines: () => readonly string[];
  /** Resident set size in bytes (from /proc), or undefined once exited. */
  readonly rssBytes: () => Promise<number | undefined>;
  readonly metrics: () => Promise<string>;
}

/**
 * Runs an app's real composition root (`src/main.ts` through tsx, workspace
 * packages from source) as a child process, as the brief's
 * `node --conditions=source --import tsx apps/<app>/src/main.ts`.
 */
export function startAppProcess(options: AppProcessOptions): AppProcess {
  const appDir = options.appDir ?? `${REPOSITORY_ROOT}apps/${options.app}`;
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
    cwd: appDir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ...options.env,
      [PORT_VARIABLE[options.app]]: String(options.port),
      ...(options.opsPort === undefined ? {} : { RECEIVER_OPS_PORT: String(options.opsPort) }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${options.app}`);
  const pid = child.pid;
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
    });
    stream.on('end', () => {
      if (partial !== '') lines.push(partial);
    });
  }
  let running = true;
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
  });
  const url = `http://127.0.0.1:${options.port}`;
  const opsUrl = `http://127.0.0.1:${options.opsPort ?? options.port}`;

  async function waitReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!running) throw new Error(`${options.app} exited during start-up:\n${lines.slice(-30).join('\n')}`);
      const ok = await fetch(`${opsUrl}${options.readyPath ?? '/readyz'}`, { signal: AbortSignal.timeout(2_000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return;
      await sleep(100);
    }
    throw new Error(`${options.app} not ready after ${timeoutMs} ms:\n${lines.slice(-30).join('\n')}`);
  }

  async function stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20_000): Promise<ExitStatus> {
    if (!running) return exited;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    app: options.app,
    pid,
    url,
    opsUrl,
    exited,
    waitReady,
    stop,
    kill: () => stop('SIGKILL'),
    isRunning: () => running,
    lines: () => lines,
    rssBytes: async () => {
      if (!running) return undefined;
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
      const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
      return kb === undefined ? undefined : Number(kb) * 1024;
    },
    metrics: async () => (await fetch(`${opsUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })).text(),
  };
}
