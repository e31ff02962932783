import type { z } from 'zod';
import type { redisEnv } from './sections.js';

export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/** Where the queues live: exactly one of the three topologies the environment can describe. */
export type RedisTarget =
  | { readonly kind: 'single'; readonly url: string }
  | {
      readonly kind: 'sentinel';
      readonly sentinels: readonly RedisNode[];
      readonly masterName: string;
      /** AUTH for the sentinels themselves. */
      readonly sentinelPassword?: string;
      /** AUTH for the master and replicas the sentinels point to. */
      readonly password?: string;
    }
  | { readonly kind: 'cluster'; readonly nodes: readonly RedisNode[]; readonly password?: string };

export interface RedisConfig {
  readonly target: RedisTarget;
  readonly QUEUE_PREFIX: string;
  readonly QUEUE_JOB_ATTEMPTS: number;
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const NODE = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+)):(\d{1,5})$/;

/** `host:port,host:port` (IPv6 as `[::1]:6379`); undefined when any entry is not one. */
export function parseRedisNodes(list: string): RedisNode[] | undefined {
  const nodes: RedisNode[] = [];
  for (const entry of list.split(',')) {
    const match = NODE.exec(entry.trim());
    const port = Number(match?.[3]);
    const host = match?.[1] ?? match?.[2];
    if (host === undefined || port < 1 || port > 65_535) return undefined;
    nodes.push({ host, port });
  }
  return nodes;
}

/**
 * Redis Cluster hashes only the text between the first `{` and the next `}`
 * of a key when that text is not empty. BullMQ keys start with the prefix, so
 * a prefix holding such a tag puts every key of every queue in one slot.
 */
export function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{');
  return open >= 0 && prefix.indexOf('}', open + 1) > open + 1;
}

type RedisEnv = z.output<typeof redisEnv>;

/**
 * Picks the topology from the variables that are set, refusing combinations
 * that would leave it to chance which one the apps connect to.
 */
export function resolveRedisConfig(values: RedisEnv): { config?: RedisConfig; problems: string[] } {
  const problems: string[] = [];
  const { REDIS_URL, REDIS_SENTINELS, REDIS_SENTINEL_MASTER, REDIS_SENTINEL_PASSWORD, REDIS_PASSWORD, REDIS_CLUSTER_NODES } = values;
  const sentinel = REDIS_SENTINELS !== undefined || REDIS_SENTINEL_MASTER !== undefined;
  const cluster = REDIS_CLUSTER_NODES !== undefined;
  const oneTopology = 'set the variables of one topology only';

  if (sentinel && cluster) problems.push(`REDIS_CLUSTER_NODES: not with REDIS_SENTINELS; ${oneTopology}`);
  if ((sentinel || cluster) && REDIS_URL !== undefined) {
    problems.push(`REDIS_URL: not with ${cluster ? 'REDIS_CLUSTER_NODES' : 'REDIS_SENTINELS'}; ${oneTopology}`);
  }
  if (REDIS_SENTINEL_MASTER !== undefined && REDIS_SENTINELS === undefined) problems.push('REDIS_SENTINELS: is required with REDIS_SENTINEL_MASTER');
  if (REDIS_SENTINELS !== undefined && REDIS_SENTINEL_MASTER === undefined) {
    problems.push('REDIS_SENTINEL_MASTER: is required with REDIS_SENTINELS (the master name the sentinels monitor)');
  }
  if (REDIS_SENTINEL_PASSWORD !== undefined && !sentinel) problems.push('REDIS_SENTINEL_PASSWORD: only with REDIS_SENTINELS');
  if (REDIS_PASSWORD !== undefined && !sentinel && !cluster) {
    problems.push('REDIS_PASSWORD: only with REDIS_SENTINELS or REDIS_CLUSTER_NODES; a single node takes its password in REDIS_URL');
  }
  if (cluster && !hasHashTag(values.QUEUE_PREFIX)) {
    problems.push(
      'QUEUE_PREFIX: must hold a {hash tag} on Redis Cluster, e.g. {wxcs}: BullMQ runs scripts over several keys of a queue, which Cluster allows only when they share one slot',
    );
  }
  if (problems.length > 0) return { problems };

  const target: RedisTarget =
    REDIS_CLUSTER_NODES !== undefined
      ? { kind: 'cluster', nodes: REDIS_CLUSTER_NODES, ...(REDIS_PASSWORD !== undefined && { password: REDIS_PASSWORD }) }
      : REDIS_SENTINELS !== undefined && REDIS_SENTINEL_MASTER !== undefined
        ? {
            kind: 'sentinel',
            sentinels: REDIS_SENTINELS,
            masterName: REDIS_SENTINEL_MASTER,
            ...(REDIS_SENTINEL_PASSWORD !== undefined && { sentinelPassword: REDIS_SENTINEL_PASSWORD }),
            ...(REDIS_PASSWORD !== undefined && { password: REDIS_PASSWORD }),
          }
        : { kind: 'single', url: REDIS_URL ?? DEFAULT_REDIS_URL };
  return { config: { target, QUEUE_PREFIX: values.QUEUE_PREFIX, QUEUE_JOB_ATTEMPTS: values.QUEUE_JOB_ATTEMPTS }, problems };
}
