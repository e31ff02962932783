import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const WORKER_DIR = fileURLToPath(new URL('../../../worker/', import.meta.url));

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Everything the worker wrote, for the failure message of a test that waited in vain. */
  readonly output: () => string;
  /** SIGTERM, then waits for the worker's own graceful shutdown to finish. */
  readonly stop: () => Promise<void>;
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function waitUntilReady(port: number, worker: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (worker.exitCode !== null) throw new Error(`worker exited with ${worker.exitCode}:\n${output()}`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((res) => res.ok, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`worker not ready after ${timeoutMs} ms:\n${output()}`);
}

/**
 * The real worker app (apps/worker/src/main.ts, run from source) as a child
 * process, exactly as `npm start` runs it, configured only through its
 * environment. Resolves once its /readyz answers 200.
 */
export async function startWorkerProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<WorkerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
    cwd: WORKER_DIR,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', WORKER_PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  const output = () => log;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitUntilReady(port, child, output, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { child, output, stop };
}
