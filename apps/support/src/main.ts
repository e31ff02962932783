import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { loadSupportConfig, type SupportConfig } from '@wxcs/config';
import { checkDatabase, createPrismaClient } from '@wxcs/db';
import { createBlobReader } from '@wxcs/media';
import { createProducerRedis, openQueue, outboundQueue, type OutboundQueue, type RedisConnection } from '@wxcs/queue';
import {
  closeServer,
  createMetricsRegistry,
  createShutdown,
  isEntryPoint,
  listen,
  runService,
  type ServiceRuntime,
  type Shutdown,
} from '@wxcs/service';
import { createWechatApi, sharedTokenPrefix, type Fetch } from '@wxcs/wechat-api';
import type { Registry } from 'prom-client';
import { createApp } from './app.js';
import { createSupportApps } from './http/support-apps.js';
import { createChangeFeed } from './live/change-feed.js';
import { countClosingUnanswered } from './metrics/closing-unanswered.js';
import { createSupportMetrics } from './metrics/support-metrics.js';
import { createSessionStore } from './staff/sessions.js';

/** A scrape's own query, and the enqueue of one reply: neither may hold a request long. */
const SCRAPE_QUERY_TIMEOUT_MS = 2_000;
const ENQUEUE_TIMEOUT_MS = 2_000;
/** How often the inbox's change feed asks PostgreSQL what changed (only while a browser listens). */
const CHANGE_FEED_INTERVAL_MS = 1_000;
/** `npm run build` puts the inbox here; the path is the same from src/ (tsx) and dist/. */
const BUILT_INBOX = fileURLToPath(new URL('../dist/inbox/', import.meta.url));

/** What tests change beyond the configuration: an ephemeral port, WeChat's transport. */
export interface SupportOverrides {
  readonly port?: number;
  readonly fetch?: Fetch;
  /** The built inbox, when not the one `npm run build` made (tests build their own). */
  readonly webRoot?: string;
  readonly changeFeedIntervalMs?: number;
  readonly eventsHeartbeatMs?: number;
}

export interface RunningSupport {
  readonly server: Server;
  readonly port: number;
  readonly shutdown: Shutdown;
  readonly redis: RedisConnection;
  readonly outbound: OutboundQueue;
  readonly registry: Registry;
}

/**
 * The support API's composition root: one fail-fast Redis connection for
 * the outbound queue's producer handle and the shared WeChat token, the
 * Prisma client, WeChat's API client, the app, the listening server, the
 * shutdown steps. The process runs it through runService; tests call it
 * directly.
 */
export async function startSupport(config: SupportConfig, runtime: ServiceRuntime, overrides: SupportOverrides = {}): Promise<RunningSupport> {
  const { logger } = runtime;
  const prefix = config.redis.QUEUE_PREFIX;
  const shutdown = createShutdown({ logger, timeoutMs: config.common.SHUTDOWN_TIMEOUT_MS, exit: runtime.exit });
  const redis = createProducerRedis(config.redis.target);
  redis.on('error', (err) => logger.warn({ err }, 'redis connection error'));
  // The first attempt is awaited (the connection has no offline queue, so a command sent while it
  // connects fails); a failed one does not stop the start: replies are still stored, the worker's
  // sweeper sends them, readiness says 503 and the connection keeps retrying.
  await redis.connect().catch((error: unknown) => logger.warn({ err: error }, 'redis not reachable yet'));
  const prisma = createPrismaClient({ databaseUrl: config.database.DATABASE_URL, poolSize: config.database.DATABASE_POOL_SIZE });
  const outbound = openQueue(outboundQueue, { connection: redis, prefix });
  outbound.on('error', (err) => logger.warn({ err, queue: outbound.name }, 'queue error'));

  const apps = createSupportApps(config.apps);
  for (const app of config.apps) {
    if (app.appSecret === undefined) logger.warn({ app: app.name }, 'app has no AppSecret: inbound-only, its replies, typing and media are refused (409)');
  }
  const registry = createMetricsRegistry('support');
  const metrics = createSupportMetrics(registry, {
    count: async () => {
      const byAppId = await countClosingUnanswered(prisma, { appIds: config.apps.map((app) => app.appId), now: new Date(), statementTimeoutMs: SCRAPE_QUERY_TIMEOUT_MS });
      return new Map(config.apps.map((app) => [app.name, byAppId.get(app.appId) ?? 0]));
    },
    timeoutMs: SCRAPE_QUERY_TIMEOUT_MS,
    logger,
  });
  const wechat = createWechatApi({
    redis,
    // The worker's too: one token per app for every process of the deployment.
    prefix: sharedTokenPrefix(prefix),
    baseUrl: config.wechatApi.WECHAT_API_BASE_URL,
    timeoutMs: config.wechatApi.WECHAT_API_TIMEOUT_MS,
    fetch: overrides.fetch ?? fetch,
    onTokenFetch: ({ app, forceRefresh, ok }) => metrics.tokenFetches.inc({ app: app.name, forced: String(forceRefresh), ok: String(ok) }),
  });

  const idleMs = config.support.SUPPORT_SESSION_IDLE_MINUTES * 60_000;
  const feed = createChangeFeed({
    prisma,
    appIds: config.apps.map((configured) => configured.appId),
    intervalMs: overrides.changeFeedIntervalMs ?? CHANGE_FEED_INTERVAL_MS,
    logger,
  });
  const blobs = createBlobReader(config.media);
  const app = createApp({
    apps,
    prisma,
    blobs,
    enqueue: { queue: outbound, jobAttempts: config.redis.QUEUE_JOB_ATTEMPTS, timeoutMs: ENQUEUE_TIMEOUT_MS, logger },
    wechat: wechat.client,
    tokens: config.support.tokens,
    inbox: {
      sessions: createSessionStore({ prisma, idleMs, now: () => new Date() }),
      cookie: { secure: config.support.SUPPORT_COOKIE_SECURE },
      webRoot: overrides.webRoot ?? BUILT_INBOX,
      feed,
      heartbeatMs: overrides.eventsHeartbeatMs,
    },
    metrics,
    registry,
    logger,
    isShuttingDown: shutdown.isShuttingDown,
    readinessChecks: [
      { name: 'redis', check: async () => (await redis.ping()) === 'PONG' },
      {
        name: 'database',
        check: async () => {
          await checkDatabase(prisma);
          return true;
        },
      },
    ],
  });
  const server = createServer(app);
  const port = await listen(server, overrides.port ?? config.support.SUPPORT_PORT);
  logger.info({ port, prefix, apps: config.apps.map((configured) => configured.name), integrations: config.support.tokens.map((token) => token.name) }, 'support API listening');

  // Readiness is 503 from the first signal on; then, in this order (open event streams end first, or the server would wait for them):
  shutdown.register({ name: 'inbox events', run: () => Promise.resolve(feed.close()) });
  shutdown.register({ name: 'http server', run: () => closeServer(server) });
  shutdown.register({ name: 'queue', run: () => outbound.close() });
  shutdown.register({ name: 'database', run: () => prisma.$disconnect() });
  shutdown.register({ name: 'media store', run: () => Promise.resolve(blobs.close()) });
  shutdown.register({ name: 'redis', run: async () => void (await redis.quit()) });
  return { server, port, shutdown, redis, outbound, registry };
}

if (isEntryPoint(import.meta.url)) {
  void runService({
    name: 'support',
    loadConfig: loadSupportConfig,
    logLevel: (config) => config.common.LOG_LEVEL,
    start: startSupport,
  });
}
