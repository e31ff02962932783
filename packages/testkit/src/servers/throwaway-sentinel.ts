import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { dataNodeArgs, startRedisProcess, withRedisClient, type RedisProcess } from './redis-process.js';
import { makeTempDir, type TempDir } from './temp-dir.js';
import { waitFor } from '../wait-for.js';

const MASTER_NAME = 'wxcs';

export interface ThrowawaySentinelOptions {
  /** `requirepass` of the master and the replica (REDIS_PASSWORD). */
  readonly password?: string;
  /** `requirepass` of the sentinels (REDIS_SENTINEL_PASSWORD). */
  readonly sentinelPassword?: string;
}

/**
 * One master, one replica and three sentinels (quorum 2) on loopback ports,
 * each with a temp dir of its own. Sentinels call a master down after 1 s
 * unanswered, so a killed master is replaced within seconds.
 */
export interface ThrowawaySentinel {
  /** The variables that point the apps at it (REDIS_SENTINELS, REDIS_SENTINEL_MASTER and the passwords). */
  readonly env: Readonly<Record<string, string>>;
  readonly masterName: string;
  /** The two data nodes; which one is master changes on failover. */
  readonly nodes: readonly RedisProcess[];
  readonly sentinels: readonly RedisProcess[];
  /** The master's port as the sentinels report it now. */
  readonly masterPort: () => Promise<number>;
  /** The data node the sentinels report as master. */
  readonly master: () => Promise<RedisProcess>;
  /** Kills every process and removes every directory. */
  readonly dispose: () => Promise<void>;
}

function nodeArgs(port: number, dir: string, options: ThrowawaySentinelOptions, replicaOf?: number): string[] {
  const replica = replicaOf === undefined ? [] : ['--replicaof', '127.0.0.1', String(replicaOf)];
  return [...dataNodeArgs(port, dir, options.password), ...replica];
}

function sentinelConfig(port: number, dir: string, masterPort: number, options: ThrowawaySentinelOptions): string {
  return [
    `port ${port}`,
    'bind 127.0.0.1',
    `dir ${dir}`,
    `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${masterPort} 2`,
    `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
    `sentinel failover-timeout ${MASTER_NAME} 5000`,
    `sentinel parallel-syncs ${MASTER_NAME} 1`,
    ...(options.password === undefined ? [] : [`sentinel auth-pass ${MASTER_NAME} ${options.password}`]),
    ...(options.sentinelPassword === undefined ? [] : [`requirepass ${options.sentinelPassword}`]),
    '',
  ].join('\n');
}

export async function startThrowawaySentinel(options: ThrowawaySentinelOptions = {}): Promise<ThrowawaySentinel> {
  const dirs: TempDir[] = [];
  const processes: RedisProcess[] = [];
  const dispose = async () => {
    await Promise.all(processes.map((process) => process.kill()));
    await Promise.all(dirs.map((dir) => dir.remove()));
  };
  const dirFor = async (label: string) => {
    const dir = await makeTempDir(label);
    dirs.push(dir);
    return dir.path;
  };
  try {
    const [masterPort, replicaPort] = [await freePort(), await freePort()];
    const master = await startRedisProcess({ port: masterPort, args: nodeArgs(masterPort, await dirFor('sentinel-master'), options) });
    processes.push(master);
    const replica = await startRedisProcess({ port: replicaPort, args: nodeArgs(replicaPort, await dirFor('sentinel-replica'), options, masterPort) });
    processes.push(replica);
    const sentinels: RedisProcess[] = [];
    for (let i = 0; i < 3; i += 1) {
      const port = await freePort();
      const dir = await dirFor('sentinel');
      // Sentinel rewrites its config file, so each gets a writable one of its own.
      const file = join(dir, 'sentinel.conf');
      await writeFile(file, sentinelConfig(port, dir, masterPort, options));
      const sentinel = await startRedisProcess({ port, args: [file, '--sentinel'], readyLine: '+monitor master' });
      processes.push(sentinel);
      sentinels.push(sentinel);
    }

    const ask = <T>(port: number, command: string[], read: (reply: string[]) => T) =>
      withRedisClient(port, options.sentinelPassword, async (client) => read((await client.call('SENTINEL', ...command)) as string[]));
    const masterPortNow = () => {
      const live = sentinels.find((sentinel) => sentinel.isRunning());
      if (!live) throw new Error('no sentinel running');
      return ask(live.port, ['get-master-addr-by-name', MASTER_NAME], (reply) => Number(reply[1]));
    };
    // A failover needs each sentinel aware of the replica and of the two
    // others (they find each other through the master's pub/sub).
    const readyForFailover = (reply: string[]) => {
      const field = (name: string) => reply[reply.indexOf(name) + 1];
      return field('num-slaves') === '1' && field('num-other-sentinels') === '2';
    };
    await waitFor('the replica to finish its first sync', async () =>
      (await withRedisClient(replicaPort, options.password, (client) => client.info('replication'))).includes('master_link_status:up'),
    );
    await waitFor(
      'the sentinels to know the replica and each other',
      async () => (await Promise.all(sentinels.map((sentinel) => ask(sentinel.port, ['master', MASTER_NAME], readyForFailover)))).every(Boolean),
      { timeoutMs: 15_000 },
    );

    const nodes = [master, replica];
    return {
      env: {
        REDIS_SENTINELS: sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`).join(','),
        REDIS_SENTINEL_MASTER: MASTER_NAME,
        ...(options.password !== undefined && { REDIS_PASSWORD: options.password }),
        ...(options.sentinelPassword !== undefined && { REDIS_SENTINEL_PASSWORD: options.sentinelPassword }),
      },
      masterName: MASTER_NAME,
      nodes,
      sentinels,
      masterPort: masterPortNow,
      master: async () => {
        const port = await masterPortNow();
        const found = nodes.find((node) => node.port === port);
        if (!found) throw new Error(`sentinels report an unknown master on port ${port}`);
        return found;
      },
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
