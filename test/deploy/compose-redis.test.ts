import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDashboardConfig, loadReceiverConfig, loadSupportConfig, loadWorkerConfig, type RedisTarget } from '@wxcs/config';
import { mergeCompose, readCompose, serviceEnvironment, type ComposeFile, type ComposeService } from './compose-file.js';
import { operatorEnv } from './operator-env.js';

// The Sentinel and Cluster variants are overrides of docker-compose.yml. No
// Docker engine runs here, so each is merged onto the base file as
// `docker compose -f … -f …` does and checked against the code; the Redis
// commands they run are started for real in compose-redis.int.test.ts.
const root = join(import.meta.dirname, '..', '..');
const base = readCompose(join(root, 'docker-compose.yml'));
const sentinel = mergeCompose(base, readCompose(join(root, 'docker-compose.sentinel.yml')));
const cluster = mergeCompose(base, readCompose(join(root, 'docker-compose.cluster.yml')));

const REDIS_APPS = {
  receiver: loadReceiverConfig,
  worker: loadWorkerConfig,
  dashboard: loadDashboardConfig,
  support: loadSupportConfig,
} as const;

function service(compose: ComposeFile, name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`service ${name} missing`);
  return found;
}

function targetOf(compose: ComposeFile, app: keyof typeof REDIS_APPS): RedisTarget {
  return REDIS_APPS[app](serviceEnvironment(service(compose, app), operatorEnv)).redis.target;
}

/** The command a service runs, as one line (a `sh -c` script included). */
const commandLine = (compose: ComposeFile, name: string) => (service(compose, name).command ?? []).join(' ');

describe('docker-compose.sentinel.yml', () => {
  const sentinels = Object.keys(sentinel.services).filter((name) => name.startsWith('sentinel-'));

  it('adds a replica of the base Redis and three sentinels that watch it with a majority quorum', () => {
    expect(sentinels).toEqual(['sentinel-1', 'sentinel-2', 'sentinel-3']);
    expect(commandLine(sentinel, 'redis-replica')).toMatch(/--replicaof redis 6379/);
    for (const name of sentinels) {
      const monitor = /'sentinel monitor (\S+) (\S+) (\d+) (\d+)'/.exec(commandLine(sentinel, name));
      expect(monitor?.slice(1)).toEqual(['wxcs', 'redis', '6379', '2']);
      expect(commandLine(sentinel, name)).toMatch(/--sentinel$/);
    }
  });

  it('keeps every data node durable and never evicting, as the single Redis is', () => {
    for (const name of ['redis', 'redis-replica']) {
      expect(commandLine(sentinel, name)).toMatch(/--appendonly yes --appendfsync everysec --maxmemory-policy noeviction/);
    }
  });

  it.each(Object.keys(REDIS_APPS) as (keyof typeof REDIS_APPS)[])('%s starts in production on the sentinels, after they are healthy', (app) => {
    const target = targetOf(sentinel, app);
    expect(target).toMatchObject({ kind: 'sentinel', masterName: 'wxcs' });
    const nodes = target.kind === 'sentinel' ? target.sentinels.map((node) => `${node.host}:${node.port}`) : [];
    expect(nodes).toEqual(sentinels.map((name) => `${name}:26379`));
    for (const name of sentinels) expect(service(sentinel, app).depends_on?.[name]).toEqual({ condition: 'service_healthy' });
  });

  it('has the receiver wait for the replica before it answers WeChat', () => {
    expect(loadReceiverConfig(serviceEnvironment(service(sentinel, 'receiver'), operatorEnv)).receiver.RECEIVER_REPLICA_ACKS).toBe(1);
  });
});

describe('docker-compose.cluster.yml', () => {
  const nodes = ['redis', 'redis-node-2', 'redis-node-3', 'redis-node-4', 'redis-node-5', 'redis-node-6'];

  it('runs six durable, never evicting cluster nodes, the base Redis the first, and joins them with a replica each', () => {
    for (const name of nodes) {
      expect(commandLine(cluster, name)).toMatch(/--cluster-enabled yes/);
      expect(commandLine(cluster, name)).toMatch(/--appendonly yes --appendfsync everysec --maxmemory-policy noeviction/);
      expect(service(cluster, name).environment?.REDIS_NODE_NAME).toBe(name);
    }
    const init = commandLine(cluster, 'redis-cluster-init');
    expect(init).toMatch(/--cluster create/);
    expect(init).toMatch(/--cluster-replicas 1/);
    expect(/for node in ([^;]+);/.exec(init)?.[1]?.trim().split(/\s+/)).toEqual(nodes);
    expect(Object.keys(service(cluster, 'redis-cluster-init').depends_on ?? {})).toEqual(nodes);
  });

  it.each(Object.keys(REDIS_APPS) as (keyof typeof REDIS_APPS)[])('%s starts in production on the cluster with a hash-tagged prefix, once it is joined', (app) => {
    const target = targetOf(cluster, app);
    expect(target.kind).toBe('cluster');
    const seeds = target.kind === 'cluster' ? target.nodes.map((node) => `${node.host}:${node.port}`) : [];
    expect(seeds).toEqual(nodes.map((name) => `${name}:6379`));
    expect(serviceEnvironment(service(cluster, app), operatorEnv).QUEUE_PREFIX).toBe('{wxcs}');
    expect(service(cluster, app).depends_on?.['redis-cluster-init']).toEqual({ condition: 'service_completed_successfully' });
  });
});
