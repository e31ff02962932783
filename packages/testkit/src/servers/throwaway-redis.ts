import { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { startRedisProcess, type RedisProcess } from './redis-process.js';
import { makeTempDir } from './temp-dir.js';

export interface ThrowawayRedisOptions {
  /** AOF as in docker-compose (`appendonly yes`, `appendfsync everysec`); default off. */
  readonly appendOnly?: boolean;
  readonly appendFsync?: 'always' | 'everysec' | 'no';
}

/**
 * A private redis-server a test may stop, kill and restart without touching
 * the shared one; `start` reloads the AOF when it is on.
 */
export interface ThrowawayRedis extends RedisProcess {
  readonly url: string;
  /** Data directory (the AOF lives in `appendonlydir/` under it). */
  readonly dir: string;
  /** `INFO <section>` as key/value pairs, over a short-lived connection. */
  readonly info: (section: string) => Promise<Record<string, string>>;
  /** Stops the server (if running) and removes its directory. */
  readonly dispose: () => Promise<void>;
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
  const server = await startRedisProcess({ port, args: serverArgs(port, dir.path, options) });
  return {
    ...server,
    url: `redis://127.0.0.1:${port}`,
    dir: dir.path,
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
      await server.kill();
      await dir.remove();
    },
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
