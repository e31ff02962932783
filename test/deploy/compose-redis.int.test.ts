import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { describe, expect } from 'vitest';
import { freePort, makeTempDir, startRedisProcess, waitFor, type RedisProcess } from '@wxcs/testkit';
import { testWithCleanup } from '@wxcs/testkit/fixtures';
import { readCompose, type ComposeFile } from './compose-file.js';

// The Redis commands of the Sentinel and Cluster compose variants, run for
// real with the machine's redis-server: each on 127.0.0.1 and a spare port
// instead of its compose host name and port 6379/26379, everything else as
// written, so a setting this Redis does not know fails here and not on the
// operator's first `docker compose up`.
const root = join(import.meta.dirname, '..', '..');
const sentinelFile = readCompose(join(root, 'docker-compose.sentinel.yml'));
const clusterFile = readCompose(join(root, 'docker-compose.cluster.yml'));
const test = testWithCleanup;

function commandOf(compose: ComposeFile, name: string): string[] {
  const command = compose.services[name]?.command;
  if (!command) throw new Error(`service ${name} has no command`);
  return command;
}

/** The redis-server arguments of a `redis-server …` command, or of the `exec redis-server …` its script ends in. */
function serverArgs(command: readonly string[]): string[] {
  const line = command[0] === 'redis-server' ? command.slice(1).join(' ') : (/exec redis-server (.*)$/s.exec(command.join(' '))?.[1] ?? '');
  return line.trim().split(/\s+/);
}

/** Compose host names → 127.0.0.1, compose ports → the test's. */
function localized(args: readonly string[], hosts: Readonly<Record<string, number>>): string[] {
  const out = [...args];
  for (let index = 0; index < out.length; index += 1) {
    const port = hosts[out[index] ?? ''];
    if (port !== undefined && out[index + 1] === '6379') {
      out[index] = '127.0.0.1';
      out[index + 1] = String(port);
    } else if (port !== undefined || out[index] === '"$$REDIS_NODE_NAME"') {
      out[index] = '127.0.0.1';
    }
  }
  return out;
}

const execRedisCli = (args: readonly string[]) => promisify(execFile)('redis-cli', args, { timeout: 30_000 });

describe('the Sentinel variant’s Redis commands', () => {
  test('start a master, its replica and a sentinel that finds both', async ({ cleanup }) => {
    const [masterPort, replicaPort, sentinelPort] = [await freePort(), await freePort(), await freePort()];
    const processes: RedisProcess[] = [];
    cleanup.defer('redis processes', () => Promise.all(processes.map((child) => child.kill())));
    const start = async (name: string, port: number, extra: readonly string[] = []) => {
      const dir = await makeTempDir(`compose-${name}`);
      cleanup.defer(`${name} dir`, () => dir.remove());
      const args = [...localized(serverArgs(commandOf(sentinelFile, name)), { redis: masterPort }), '--port', String(port), '--bind', '127.0.0.1', '--dir', dir.path, ...extra];
      processes.push(await startRedisProcess({ port, args }));
    };
    await start('redis', masterPort);
    await start('redis-replica', replicaPort);

    // The sentinel's configuration is the lines the compose script prints (after printf's format).
    const script = commandOf(sentinelFile, 'sentinel-1').join(' ');
    const lines = [...script.matchAll(/'([^']+)'/g)].map((match) => match[1] ?? '').slice(1);
    expect(lines).toContain('sentinel monitor wxcs redis 6379 2');
    const dir = await makeTempDir('compose-sentinel');
    cleanup.defer('sentinel dir', () => dir.remove());
    const conf = join(dir.path, 'sentinel.conf');
    const local = lines.map((line) => line.replace('port 26379', `port ${sentinelPort}`).replace('wxcs redis 6379', `wxcs 127.0.0.1 ${masterPort}`));
    await writeFile(conf, `${local.join('\n')}\nbind 127.0.0.1\ndir ${dir.path}\n`);
    processes.push(await startRedisProcess({ port: sentinelPort, args: [conf, '--sentinel'], readyLine: 'Sentinel ID is' }));

    const client = new Redis({ port: sentinelPort, host: '127.0.0.1', lazyConnect: true });
    cleanup.defer('sentinel client', () => client.disconnect());
    await client.connect();
    expect(await client.call('SENTINEL', 'get-master-addr-by-name', 'wxcs')).toEqual(['127.0.0.1', String(masterPort)]);
    await waitFor('the sentinel to find the replica', async () => {
      const replicas = (await client.call('SENTINEL', 'replicas', 'wxcs')) as string[][];
      return replicas.length === 1 ? replicas : undefined;
    }, { timeoutMs: 15_000 });
  });
});

describe('the Cluster variant’s Redis commands', () => {
  test('start six nodes that its init command joins into a cluster with a replica per master', async ({ cleanup }) => {
    const names = ['redis', 'redis-node-2', 'redis-node-3', 'redis-node-4', 'redis-node-5', 'redis-node-6'];
    const processes: RedisProcess[] = [];
    cleanup.defer('cluster nodes', () => Promise.all(processes.map((child) => child.kill())));
    const ports: number[] = [];
    for (const name of names) {
      const [port, busPort, dir] = [await freePort(), await freePort(), await makeTempDir(`compose-${name}`)];
      cleanup.defer(`${name} dir`, () => dir.remove());
      const args = [...localized(serverArgs(commandOf(clusterFile, name)), {}), '--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1', '--dir', dir.path];
      expect(args).toContain('--cluster-announce-hostname');
      processes.push(await startRedisProcess({ port, args }));
      ports.push(port);
    }
    const init = commandOf(clusterFile, 'redis-cluster-init').join(' ');
    const createFlags = ['--cluster-replicas', /--cluster-replicas (\d+)/.exec(init)?.[1] ?? '', '--cluster-yes'];
    await execRedisCli(['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), ...createFlags]);

    const client = new Redis({ port: ports[0], host: '127.0.0.1', lazyConnect: true });
    cleanup.defer('cluster client', () => client.disconnect());
    await client.connect();
    const info = await waitFor('the cluster to agree', async () => {
      const reply = (await client.call('CLUSTER', 'INFO')) as string;
      return reply.includes('cluster_state:ok') ? reply : undefined;
    }, { timeoutMs: 20_000 });
    expect(info).toMatch(/cluster_size:3/);
    // Clients are sent to the announced host name, as the apps will be to a compose service name.
    const shards = JSON.stringify(await client.call('CLUSTER', 'SHARDS'));
    expect(shards).toContain('"hostname","127.0.0.1"');
  });
});
