import type { z } from 'zod';
import { ConfigError } from './config-error.js';
import type { Env } from './env-types.js';
import { mediaEnv, mediaStoreProblems, type MediaStoreConfig } from './media-store.js';
import { isTlsOrLoopback } from './transport.js';
import { commonEnv, dashboardEnv, databaseEnv, receiverEnv, redisEnv, supportEnv, wechatApiEnv, workerEnv } from './sections.js';
import { parseSupportTokens, type SupportApiToken } from './support-tokens.js';
import { PUBLISHED_PROBLEM, isPublishedCredential, urlPassword } from './published-credentials.js';
import { parseWechatApps, type WechatAppConfig } from './wechat-apps.js';
import { resolveRedisConfig, type RedisConfig } from './redis-target.js';

type Shape = z.ZodObject;

/**
 * Parses every section and collects all problems before failing, so one
 * start-up error tells the operator everything that needs fixing. Values are
 * never echoed: they may be secrets.
 */
function parseSections<const S extends Record<string, Shape>>(
  env: Env,
  sections: S,
): { values: { [K in keyof S]: z.output<S[K]> }; problems: string[] } {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(sections)) {
    // Empty strings count as unset, as `FOO= npm start` means "no value".
    const cleaned = Object.fromEntries(
      Object.keys(schema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
    );
    const result = schema.safeParse(cleaned);
    if (result.success) values[name] = result.data;
    else {
      for (const issue of result.error.issues) {
        const variable = String(issue.path[0] ?? name);
        problems.push(`${variable}: ${cleaned[variable] === undefined ? 'is required' : issue.message}`);
      }
    }
  }
  return { values: values as { [K in keyof S]: z.output<S[K]> }, problems };
}

function finish<T>(problems: string[], build: () => T): T {
  if (problems.length > 0) throw new ConfigError(problems);
  return build();
}

export type CommonConfig = z.output<typeof commonEnv>;
export type DatabaseConfig = z.output<typeof databaseEnv>;
export type WechatApiConfig = z.output<typeof wechatApiEnv>;

export interface ReceiverConfig {
  readonly common: CommonConfig;
  readonly redis: RedisConfig;
  readonly receiver: z.output<typeof receiverEnv>;
  readonly apps: readonly WechatAppConfig[];
}

export interface WorkerConfig {
  readonly common: CommonConfig;
  readonly redis: RedisConfig;
  readonly database: DatabaseConfig;
  readonly worker: z.output<typeof workerEnv>;
  readonly wechatApi: WechatApiConfig;
  readonly media: MediaStoreConfig;
  readonly apps: readonly WechatAppConfig[];
}

export interface SupportConfig {
  readonly common: CommonConfig;
  readonly redis: RedisConfig;
  readonly database: DatabaseConfig;
  readonly wechatApi: WechatApiConfig;
  readonly media: MediaStoreConfig;
  readonly support: {
    readonly SUPPORT_PORT: number;
    readonly tokens: readonly SupportApiToken[];
    readonly SUPPORT_SESSION_IDLE_MINUTES: number;
    readonly SUPPORT_COOKIE_SECURE: boolean;
  };
  readonly apps: readonly WechatAppConfig[];
}

export interface DashboardConfig {
  readonly common: CommonConfig;
  readonly redis: RedisConfig;
  readonly dashboard: { DASHBOARD_PORT: number; DASHBOARD_USER: string; DASHBOARD_PASSWORD: string };
}

export interface MigrateConfig {
  readonly common: CommonConfig;
  readonly database: DatabaseConfig;
}

const isProduction = (env: Env) => env.NODE_ENV === 'production';

/** The topology behind the redis section, with its problems added to the others. */
function redisOf(values: z.output<typeof redisEnv> | undefined, problems: string[]): RedisConfig {
  const resolved = values ? resolveRedisConfig(values) : { problems: [] };
  problems.push(...resolved.problems);
  // Only read when `problems` is empty, and then the section parsed and resolved.
  return resolved.config as RedisConfig;
}

/** Production refuses a database password that was published in this repository. */
function publishedDatabasePassword(env: Env, database: DatabaseConfig | undefined): string[] {
  const password = database && urlPassword(database.DATABASE_URL);
  return isProduction(env) && password !== undefined && isPublishedCredential(password)
    ? [`DATABASE_URL: its password ${PUBLISHED_PROBLEM}`]
    : [];
}

/**
 * WAIT blocks the connection it runs on, so a batch sent while an earlier
 * batch's WAIT is pending waits for that one and then its own: two WAITs must
 * fit in the enqueue timeout for a batch to be answered by Redis at all.
 */
function replicaAckProblems(receiver: z.output<typeof receiverEnv> | undefined, redis: RedisConfig | undefined): string[] {
  if (!receiver || receiver.RECEIVER_REPLICA_ACKS === 0) return [];
  const problems: string[] = [];
  if (2 * receiver.RECEIVER_REPLICA_ACK_TIMEOUT_MS > receiver.RECEIVER_ENQUEUE_TIMEOUT_MS) {
    problems.push('RECEIVER_REPLICA_ACK_TIMEOUT_MS: must be at most half of RECEIVER_ENQUEUE_TIMEOUT_MS when RECEIVER_REPLICA_ACKS is above 0');
  }
  if (redis?.target.kind === 'cluster') {
    problems.push(
      'RECEIVER_REPLICA_ACKS: must be 0 on Redis Cluster: WAIT has no key to route it to the master holding the queue, so the receiver cannot wait for its replicas there',
    );
  }
  return problems;
}

/**
 * Production talks to WeChat (or a proxy) over TLS, since the URLs carry
 * access tokens, or over plain http to a proxy on the same host, where
 * nothing crosses a network.
 */
function wechatApiProblems(env: Env, wechatApi: WechatApiConfig | undefined): string[] {
  if (!wechatApi || !isProduction(env)) return [];
  if (isTlsOrLoopback(new URL(wechatApi.WECHAT_API_BASE_URL))) return [];
  return ['WECHAT_API_BASE_URL: must be https in production (or http to a proxy on 127.0.0.1): every call carries an access token'];
}

export function loadReceiverConfig(env: Env): ReceiverConfig {
  const { values, problems } = parseSections(env, { common: commonEnv, redis: redisEnv, receiver: receiverEnv });
  const redis = redisOf(values.redis, problems);
  // `redis` is undefined when its section has problems of its own.
  problems.push(...replicaAckProblems(values.receiver, redis));
  const apps = parseWechatApps(env, isProduction(env));
  return finish([...problems, ...apps.problems], () => ({ ...values, redis, apps: apps.apps }));
}

export function loadWorkerConfig(env: Env): WorkerConfig {
  const { values, problems } = parseSections(env, {
    common: commonEnv,
    redis: redisEnv,
    database: databaseEnv,
    worker: workerEnv,
    wechatApi: wechatApiEnv,
    media: mediaEnv,
  });
  const redis = redisOf(values.redis, problems);
  problems.push(...wechatApiProblems(env, values.wechatApi), ...mediaStoreProblems(values.media, isProduction(env)));
  const apps = parseWechatApps(env, isProduction(env));
  if (values.worker && values.worker.WORKER_BACKOFF_MAX_MS < values.worker.WORKER_BACKOFF_BASE_MS) {
    problems.push('WORKER_BACKOFF_MAX_MS: must be at least WORKER_BACKOFF_BASE_MS');
  }
  problems.push(...publishedDatabasePassword(env, values.database));
  return finish([...problems, ...apps.problems], () => ({ ...values, redis, apps: apps.apps }));
}

export function loadSupportConfig(env: Env): SupportConfig {
  const { values, problems } = parseSections(env, {
    common: commonEnv,
    redis: redisEnv,
    database: databaseEnv,
    wechatApi: wechatApiEnv,
    media: mediaEnv,
    support: supportEnv,
  });
  const redis = redisOf(values.redis, problems);
  problems.push(...wechatApiProblems(env, values.wechatApi), ...mediaStoreProblems(values.media, isProduction(env)), ...publishedDatabasePassword(env, values.database));
  const tokens = parseSupportTokens(values.support?.SUPPORT_API_TOKENS, isProduction(env));
  const apps = parseWechatApps(env, isProduction(env));
  return finish([...problems, ...tokens.problems, ...apps.problems], () => ({
    ...values,
    redis,
    support: {
      SUPPORT_PORT: values.support.SUPPORT_PORT,
      tokens: tokens.tokens,
      SUPPORT_SESSION_IDLE_MINUTES: values.support.SUPPORT_SESSION_IDLE_MINUTES,
      SUPPORT_COOKIE_SECURE: values.support.SUPPORT_COOKIE_SECURE ?? isProduction(env),
    },
    apps: apps.apps,
  }));
}

/** Development falls back to admin/admin; production refuses to start without credentials. */
export function loadDashboardConfig(env: Env): DashboardConfig {
  const { values, problems } = parseSections(env, {
    common: commonEnv,
    redis: redisEnv,
    dashboard: dashboardEnv,
  });
  const redis = redisOf(values.redis, problems);
  const production = isProduction(env);
  const user = values.dashboard?.DASHBOARD_USER ?? (production ? undefined : 'admin');
  const password = values.dashboard?.DASHBOARD_PASSWORD ?? (production ? undefined : 'admin');
  if (values.dashboard) {
    if (user === undefined) problems.push('DASHBOARD_USER: is required in production');
    if (password === undefined) problems.push('DASHBOARD_PASSWORD: is required in production');
    else if (production && password.length < 12) {
      problems.push('DASHBOARD_PASSWORD: must be at least 12 characters in production');
    } else if (production && isPublishedCredential(password)) {
      problems.push(`DASHBOARD_PASSWORD: ${PUBLISHED_PROBLEM}`);
    }
  }
  return finish(problems, () => ({
    ...values,
    redis,
    dashboard: {
      DASHBOARD_PORT: values.dashboard.DASHBOARD_PORT,
      DASHBOARD_USER: user ?? '',
      DASHBOARD_PASSWORD: password ?? '',
    },
  }));
}

export function loadMigrateConfig(env: Env): MigrateConfig {
  const { values, problems } = parseSections(env, { common: commonEnv, database: databaseEnv });
  problems.push(...publishedDatabasePassword(env, values.database));
  return finish(problems, () => values);
}
