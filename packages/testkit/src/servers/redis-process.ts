import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';

export const REDIS_SERVER = process.env.TEST_REDIS_SERVER ?? '/usr/bin/redis-server';

export interface RedisProcessOptions {
  readonly port: number;
  readonly args: readonly string[];
  /** A line the process logs once it serves: a server and a sentinel log different ones. */
  readonly readyLine?: string;
}

/** One redis-server process (a plain node, a cluster node or a sentinel) a test can kill and start again. */
export interface RedisProcess {
  readonly port: number;
  /** Starts it again with the same arguments (same port and directory). */
  readonly start: () => Promise<void>;
  /** Clean stop (SIGTERM): Redis flushes the AOF before exiting. */
  readonly stop: () => Promise<void>;
  /** SIGKILL: no shutdown work at all, as in a host or OOM kill. */
  readonly kill: () => Promise<void>;
  /** SIGSTOP / SIGCONT: a stalled server that keeps its connections open. */
  readonly pause: () => void;
  readonly resume: () => void;
  readonly isRunning: () => boolean;
  /** The process's recent output, for failure messages. */
  readonly output: () => string;
}

export async function startRedisProcess(options: RedisProcessOptions): Promise<RedisProcess> {
  const readyLine = options.readyLine ?? 'Ready to accept connections';
  let child: ChildProcess | undefined;
  let output = '';
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  async function start(): Promise<void> {
    if (running()) throw new Error(`redis-server on ${options.port} already running`);
    const spawned = spawn(REDIS_SERVER, options.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = spawned;
    output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-20_000);
        if (output.includes(readyLine)) resolve();
      };
      spawned.stdout?.on('data', onData);
      spawned.stderr?.on('data', onData);
      spawned.once('exit', (code, signal) => reject(new Error(`redis-server exited (${code ?? signal}): ${output}`)));
      spawned.once('error', reject);
    });
  }

  async function signalAndWait(signal: NodeJS.Signals): Promise<void> {
    const current = child;
    if (!current || !running()) return;
    const exited = once(current, 'exit');
    if (signal !== 'SIGKILL') current.kill('SIGCONT');
    current.kill(signal);
    await exited;
  }

  await start();
  return {
    port: options.port,
    start,
    stop: () => signalAndWait('SIGTERM'),
    kill: () => signalAndWait('SIGKILL'),
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    isRunning: running,
    output: () => output,
  };
}

/**
 * A replicated data node's arguments: no persistence, no eviction, and the
 * same password for clients and for its master, as both topologies run them.
 */
export function dataNodeArgs(port: number, dir: string, password: string | undefined): string[] {
  const auth = password === undefined ? [] : ['--requirepass', password, '--masterauth', password];
  return [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--save', '',
    '--appendonly', 'no',
    '--maxmemory-policy', 'noeviction',
    // Redis waits 5 s by default for more replicas before a first sync; there are none to wait for.
    '--repl-diskless-sync-delay', '0',
    ...auth,
  ];
}

/** One short-lived plain connection to a node, for setup and inspection. */
export async function withRedisClient<T>(port: number, password: string | undefined, work: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({ host: '127.0.0.1', port, password, lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    return await work(client);
  } finally {
    client.disconnect();
  }
}
