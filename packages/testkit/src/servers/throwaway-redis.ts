import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { makeTempDir } from './temp-dir.js';

const REDIS_SERVER = process.env.TEST_REDIS_SERVER ?? '/usr/bin/redis-server';

export interface ThrowawayRedisOptions {
  /** AOF as in docker-compose (`appendonly yes`, `appendfsync everysec`); default off. */
  readonly appendOnly?: boolean;
  readonly appendFsync?: 'always' | 'everysec' | 'no';
}

/** A private redis-server a test may stop, kill and restart without touching the shared one. */
export interface ThrowawayRedis {
  readonly url: string;
  readonly port: number;
  /** Data directory (the AOF lives in `appendonlydir/` under it). */
  readonly dir: string;
  /** Starts the server again on the same port and directory (reloading the AOF when on). */
  readonly start: () => Promise<void>;
  /** Clean stop (SIGTERM): Redis flushes the AOF before exiting. */
  readonly stop: () => Promise<void>;
  /** SIGKILL: no shutdown work at all, as in a host or OOM kill. */
  readonly kill: () => Promise<void>;
  /** SIGSTOP / SIGCONT: a stalled server that keeps its connections open. */
  readonly pause: () => void;
  readonly resume: () => void;
  readonly isRunning: () => boolean;
  /** `INFO <section>` as key/value pairs, over a short-lived connection. */
  readonly info: (section: string) => Promise<Record<string, string>>;
  /** Stops the server (if running) and removes its directory. */
  readonly dispose: () => Promise<void>;
  /** The server's recent output, for failure messages. */
  readonly output: () => string;
}

function serverArgs(port: number, dir: string, options: ThrowawayRedisOptions): string[] {
  return [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--save', '',
    '--appendonly', options.appendOnly ? 'yes' : 'no',
    '--appendfsync', options.appendFsync ?? 'everysec',
    '--maxmemory-policy', 'noeviction',
  ];
}

export async function startThrowawayRedis(options: ThrowawayRedisOptions = {}): Promise<ThrowawayRedis> {
  const port = await freePort();
  const dir = await makeTempDir('redis');
  let child: ChildProcess | undefined;
  let output = '';

  async function start(): Promise<void> {
    if (child && child.exitCode === null && child.signalCode === null) throw new Error('redis-server already running');
    const spawned = spawn(REDIS_SERVER, serverArgs(port, dir.path, options), { stdio: ['ignore', 'pipe', 'pipe'] });
    child = spawned;
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-20_000);
        if (output.includes('Ready to accept connections')) resolve();
      };
      spawned.stdout?.on('data', onData);
      spawned.stderr?.on('data', onData);
      spawned.once('exit', (code, signal) => reject(new Error(`redis-server exited (${code ?? signal}): ${output}`)));
      spawned.once('error', reject);
    });
    output = '';
  }

  async function signalAndWait(signal: NodeJS.Signals): Promise<void> {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    if (signal !== 'SIGKILL') running.kill('SIGCONT');
    running.kill(signal);
    await exited;
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir: dir.path,
    start,
    stop: () => signalAndWait('SIGTERM'),
    kill: () => signalAndWait('SIGKILL'),
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    isRunning: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    info: async (section) => {
      const redis = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 1, lazyConnect: true });
      try {
        await redis.connect();
        return parseInfo(await redis.info(section));
      } finally {
        redis.disconnect();
      }
    },
    dispose: async () => {
      await signalAndWait('SIGKILL');
      await dir.remove();
    },
    output: () => output,
  };
}

/** `INFO` text (`key:value` lines, `#` section headers) as a record. */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (line.startsWith('#') || colon <= 0) continue;
    out[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return out;
}
