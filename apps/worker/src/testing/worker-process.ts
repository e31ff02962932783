import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WechatAppConfig } from '@wxcs/config';
import { TEST_REDIS_URL } from '@wxcs/queue/testing';
import { TEST_APP } from './callbacks.js';
import { freePort } from '@wxcs/testkit';
import { waitFor } from '@wxcs/testkit';

const WORKER_DIR = fileURLToPath(new URL('../..', import.meta.url));

export interface WorkerProcessOptions {
  readonly prefix: string;
  readonly databaseUrl: string;
  /** Extra or overriding variables, e.g. WORKER_BATCH_MAX_WAIT_MS. */
  readonly env?: Readonly<Record<string, string>>;
  readonly apps?: readonly WechatAppConfig[];
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process wrote so far (JSON log lines). */
  readonly output: () => string;
  readonly metrics: () => Promise<string>;
}

/**
 * The real worker (src/main.ts through tsx, workspace packages from source)
 * as a child process, for tests that kill or signal it.
 */
export async function spawnWorker(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', 'src/main.ts'], {
    cwd: WORKER_DIR,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: options.prefix,
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_SIZE: '5',
      WORKER_PORT: String(port),
      WORKER_CONCURRENCY: '16',
      WORKER_BATCH_SIZE: '50',
      WORKER_BATCH_MAX_WAIT_MS: '10',
      WORKER_BACKOFF_BASE_MS: '50',
      WORKER_BACKOFF_MAX_MS: '200',
      WORKER_STALLED_INTERVAL_MS: '1000',
      SHUTDOWN_TIMEOUT_MS: '10000',
      WECHAT_APPS: JSON.stringify(options.apps ?? [TEST_APP]),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const url = `http://127.0.0.1:${port}`;
  const worker: WorkerProcess = {
    child,
    port,
    exited,
    output: () => output,
    metrics: async () => (await fetch(`${url}/metrics`)).text(),
  };
  const ready = waitFor('the worker process to become ready', async () => (await fetch(`${url}/readyz`)).ok, { timeoutMs: 30_000, everyMs: 100 });
  const died = exited.then(({ code, signal }) => {
    throw new Error(`worker exited during start-up (${code ?? signal})\n${output}`);
  });
  // Whichever loses the race settles later; neither may become an unhandled rejection.
  ready.catch(() => undefined);
  died.catch(() => undefined);
  try {
    await Promise.race([ready, died]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return worker;
}

/** A counter's value from a Prometheus text exposition (sum over label sets matching `labels`). */
export function readCounter(exposition: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
