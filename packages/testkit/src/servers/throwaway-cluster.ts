import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { dataNodeArgs, startRedisProcess, withRedisClient, type RedisProcess } from './redis-process.js';
import { makeTempDir, type TempDir } from './temp-dir.js';
import { waitFor } from '../wait-for.js';

const REDIS_CLI = process.env.TEST_REDIS_CLI ?? '/usr/bin/redis-cli';
const NODE_COUNT = 6;

export interface ThrowawayClusterOptions {
  /** `requirepass` (and `masterauth`) of every node (REDIS_PASSWORD). */
  readonly password?: string;
}

/**
 * A Redis Cluster of three masters with a replica each on loopback ports,
 * each node with a temp dir of its own. Nodes call a peer down after 1 s, so
 * a killed master's replica takes over within seconds.
 */
export interface ThrowawayCluster {
  /** The variables that point the apps at it (REDIS_CLUSTER_NODES and REDIS_PASSWORD). */
  readonly env: Readonly<Record<string, string>>;
  readonly nodes: readonly RedisProcess[];
  /** The nodes that are masters now, as the cluster reports it. */
  readonly masters: () => Promise<RedisProcess[]>;
  /** The master that serves `key`'s slot now (a queue's keys all hash to its prefix's {tag}). */
  readonly masterOf: (key: string) => Promise<RedisProcess>;
  /** Kills every node and removes every directory. */
  readonly dispose: () => Promise<void>;
}

function nodeArgs(port: number, busPort: number, dir: string, options: ThrowawayClusterOptions): string[] {
  // The bus port is chosen too: the default, port + 10 000, may be taken or past 65 535.
  return [
    ...dataNodeArgs(port, dir, options.password),
    ...['--cluster-enabled', 'yes', '--cluster-port', String(busPort), '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '1000'],
  ];
}

/** Ports of the healthy masters and replicas in a CLUSTER NODES reply (`<id> <ip:port@bus> <flags> …` per line). */
function parseClusterNodes(table: string): { masters: number[]; replicas: number[] } {
  const masters: number[] = [];
  const replicas: number[] = [];
  for (const line of table.split('\n')) {
    const [, address, flags] = line.split(' ');
    if (address === undefined || flags === undefined || flags.includes('fail')) continue;
    const port = Number(address.split('@')[0]?.split(':')[1]);
    const roles = flags.split(',');
    if (roles.includes('master')) masters.push(port);
    else if (roles.includes('slave')) replicas.push(port);
  }
  return { masters, replicas };
}

/** The port of the healthy master whose slot ranges (`0-5460`, `7000` at the end of its line) hold `slot`. */
function slotOwner(table: string, slot: number): number | undefined {
  for (const line of table.split('\n')) {
    const [, address, flags, , , , , , ...ranges] = line.split(' ');
    if (address === undefined || flags === undefined || flags.includes('fail') || !flags.split(',').includes('master')) continue;
    const owns = ranges.some((range) => {
      const [first, last = first] = range.split('-').map(Number);
      return first !== undefined && last !== undefined && slot >= first && slot <= last;
    });
    if (owns) return Number(address.split('@')[0]?.split(':')[1]);
  }
  return undefined;
}

export async function startThrowawayCluster(options: ThrowawayClusterOptions = {}): Promise<ThrowawayCluster> {
  const dirs: TempDir[] = [];
  const nodes: RedisProcess[] = [];
  const dispose = async () => {
    await Promise.all(nodes.map((node) => node.kill()));
    await Promise.all(dirs.map((dir) => dir.remove()));
  };
  try {
    for (let i = 0; i < NODE_COUNT; i += 1) {
      const [port, busPort, dir] = [await freePort(), await freePort(), await makeTempDir('cluster-node')];
      dirs.push(dir);
      nodes.push(await startRedisProcess({ port, args: nodeArgs(port, busPort, dir.path, options) }));
    }
    const auth = options.password === undefined ? [] : ['-a', options.password, '--no-auth-warning'];
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    await promisify(execFile)(REDIS_CLI, [...auth, '--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes'], { timeout: 30_000 });
    // `create` returns once the slots are assigned; clients need every node
    // up, and a failover needs every node to know who replicates whom.
    // A replica that never finished its first sync counts its data as too
    // old to take over, so each one must be linked to its master too.
    const agreed = async (port: number) => {
      const [info, table, replication] = await withRedisClient(port, options.password, (client) =>
        Promise.all([client.call('CLUSTER', 'INFO') as Promise<string>, client.call('CLUSTER', 'NODES') as Promise<string>, client.info('replication')]),
      );
      const roles = parseClusterNodes(table);
      const synced = !replication.includes('role:slave') || replication.includes('master_link_status:up');
      return synced && info.includes('cluster_state:ok') && roles.masters.length === NODE_COUNT / 2 && roles.replicas.length === NODE_COUNT / 2;
    };
    await waitFor('every cluster node to agree on three masters with a synced replica each', async () => (await Promise.all(nodes.map((node) => agreed(node.port)))).every(Boolean), {
      timeoutMs: 20_000,
    });

    const ask = <T>(work: (client: Redis) => Promise<T>) => {
      const live = nodes.find((node) => node.isRunning());
      if (!live) throw new Error('no cluster node running');
      return withRedisClient(live.port, options.password, work);
    };
    const clusterNodes = (client: Redis) => client.call('CLUSTER', 'NODES') as Promise<string>;
    return {
      env: {
        REDIS_CLUSTER_NODES: addresses.join(','),
        ...(options.password !== undefined && { REDIS_PASSWORD: options.password }),
      },
      nodes,
      masters: async () => {
        const { masters } = parseClusterNodes(await ask(clusterNodes));
        return nodes.filter((node) => masters.includes(node.port));
      },
      masterOf: async (key) => {
        const [slot, table] = await ask(async (client) => [Number(await client.call('CLUSTER', 'KEYSLOT', key)), await clusterNodes(client)] as const);
        const found = nodes.find((node) => node.port === slotOwner(table, slot));
        if (!found) throw new Error(`no healthy master serves slot ${slot} (key ${key})`);
        return found;
      },
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
