import { describe, expect, it } from 'vitest';
import { problemsOf } from './testing/problems-of.js';
import { SERVICE_ENV_VARS } from './known-vars.js';
import { loadDashboardConfig, loadReceiverConfig, loadWorkerConfig } from './load.js';
import { hasHashTag, parseRedisNodes } from './redis-target.js';

const SENTINEL_ENV = {
  REDIS_SENTINELS: '10.0.0.1:26379, 10.0.0.2:26379,[::1]:26380',
  REDIS_SENTINEL_MASTER: 'wxcs',
  REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
  REDIS_PASSWORD: 'node-secret',
};

describe('the Redis topology', () => {
  it('is the single node of REDIS_URL, by default on this machine, TLS included', () => {
    expect(loadReceiverConfig({}).redis.target).toEqual({ kind: 'single', url: 'redis://127.0.0.1:6379' });
    expect(loadWorkerConfig({ REDIS_URL: 'rediss://:pw@cache.example:6380' }).redis.target).toEqual({
      kind: 'single',
      url: 'rediss://:pw@cache.example:6380',
    });
  });

  it('is Sentinel with sentinels and a master name, in every app', () => {
    const expected = {
      kind: 'sentinel',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      masterName: 'wxcs',
      sentinelPassword: 'sentinel-secret',
      password: 'node-secret',
    };
    expect(loadReceiverConfig(SENTINEL_ENV).redis.target).toEqual(expected);
    expect(loadWorkerConfig(SENTINEL_ENV).redis.target).toEqual(expected);
    expect(loadDashboardConfig(SENTINEL_ENV).redis.target).toEqual(expected);
  });

  it('is Cluster with its seed nodes and a hash-tag prefix', () => {
    const config = loadReceiverConfig({ REDIS_CLUSTER_NODES: 'node-1:7000,node-2:7001', QUEUE_PREFIX: 'prod:{wx}' });
    expect(config.redis).toEqual({
      target: { kind: 'cluster', nodes: [{ host: 'node-1', port: 7000 }, { host: 'node-2', port: 7001 }] },
      QUEUE_PREFIX: 'prod:{wx}',
      QUEUE_JOB_ATTEMPTS: 10,
    });
  });

  it('refuses a Cluster prefix without a hash tag, the default one included, and says why', () => {
    for (const prefix of [undefined, 'wxcs', '{}wxcs', 'wx{cs']) {
      const problems = problemsOf(() => loadWorkerConfig({ REDIS_CLUSTER_NODES: 'node-1:7000', QUEUE_PREFIX: prefix }));
      expect(problems).toEqual([expect.stringMatching(/^QUEUE_PREFIX: must hold a \{hash tag\} on Redis Cluster, e.g. \{wxcs\}: .*one slot$/)]);
    }
    // Without Cluster, any prefix goes: one node holds every slot.
    expect(loadWorkerConfig({ QUEUE_PREFIX: 'wxcs' }).redis.QUEUE_PREFIX).toBe('wxcs');
  });

  it('refuses two topologies at once, naming the variables', () => {
    expect(problemsOf(() => loadReceiverConfig({ ...SENTINEL_ENV, REDIS_URL: 'redis://a:6379' }))).toEqual([
      'REDIS_URL: not with REDIS_SENTINELS; set the variables of one topology only',
    ]);
    expect(problemsOf(() => loadReceiverConfig({ REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'a:7000', QUEUE_PREFIX: '{wx}' }))).toEqual([
      'REDIS_URL: not with REDIS_CLUSTER_NODES; set the variables of one topology only',
    ]);
    expect(problemsOf(() => loadReceiverConfig({ ...SENTINEL_ENV, REDIS_CLUSTER_NODES: 'a:7000', QUEUE_PREFIX: '{wx}' }))).toEqual([
      'REDIS_CLUSTER_NODES: not with REDIS_SENTINELS; set the variables of one topology only',
    ]);
  });

  it('refuses an incomplete topology, naming what is missing', () => {
    expect(problemsOf(() => loadReceiverConfig({ REDIS_SENTINELS: 'a:26379' }))).toEqual([
      'REDIS_SENTINEL_MASTER: is required with REDIS_SENTINELS (the master name the sentinels monitor)',
    ]);
    expect(problemsOf(() => loadReceiverConfig({ REDIS_SENTINEL_MASTER: 'wxcs' }))).toEqual(['REDIS_SENTINELS: is required with REDIS_SENTINEL_MASTER']);
    expect(problemsOf(() => loadReceiverConfig({ REDIS_SENTINEL_PASSWORD: 'sentinel-secret' }))).toEqual([
      'REDIS_SENTINEL_PASSWORD: only with REDIS_SENTINELS',
    ]);
    expect(problemsOf(() => loadReceiverConfig({ REDIS_PASSWORD: 'node-secret' }))).toEqual([
      'REDIS_PASSWORD: only with REDIS_SENTINELS or REDIS_CLUSTER_NODES; a single node takes its password in REDIS_URL',
    ]);
  });

  it('never echoes a password or a node list in its problems', () => {
    const error = (() => {
      try {
        loadReceiverConfig({ ...SENTINEL_ENV, REDIS_URL: 'redis://:url-secret@a:6379', REDIS_CLUSTER_NODES: 'bad list' });
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.message).toMatch(/REDIS_CLUSTER_NODES: must be host:port pairs separated by commas/);
    for (const secret of ['sentinel-secret', 'node-secret', 'url-secret', 'bad list']) expect(error.message).not.toContain(secret);
  });

  it('is read by every app that connects to Redis', () => {
    const variables = ['REDIS_SENTINELS', 'REDIS_SENTINEL_MASTER', 'REDIS_SENTINEL_PASSWORD', 'REDIS_PASSWORD', 'REDIS_CLUSTER_NODES'];
    for (const service of ['receiver', 'worker', 'dashboard'] as const) expect(SERVICE_ENV_VARS[service]).toEqual(expect.arrayContaining(variables));
    expect(SERVICE_ENV_VARS.migrate).not.toContain('REDIS_SENTINELS');
  });
});

describe('parseRedisNodes', () => {
  it('reads host:port lists and refuses anything else', () => {
    expect(parseRedisNodes('a:1,b.example:65535')).toEqual([{ host: 'a', port: 1 }, { host: 'b.example', port: 65_535 }]);
    for (const bad of ['', 'a', 'a:', ':6379', 'a:0', 'a:65536', 'a:6379,', 'a:6379;b:6379', 'redis://a:6379', '::1:6379']) {
      expect(parseRedisNodes(bad), bad).toBeUndefined();
    }
  });
});

describe('hasHashTag', () => {
  it('follows Redis Cluster: the first { and the next }, with something between', () => {
    for (const tagged of ['{wx}', '{wxcs}', 'prod:{wx}', '{wx}:prod', '{a}{}']) expect(hasHashTag(tagged), tagged).toBe(true);
    // `{}` first means Redis hashes the whole key, so a later tag does not count.
    for (const untagged of ['wxcs', '{}', '{}{wx}', 'wx{', 'wx}{cs', '}wx{']) expect(hasHashTag(untagged), untagged).toBe(false);
  });
});
