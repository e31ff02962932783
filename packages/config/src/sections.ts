import { z } from 'zod';
import { envBoolean, envInt, logLevel, nodeEnv, port, postgresUrl, redisNodes, redisUrl } from './env-types.js';

/**
 * One zod object per concern, keyed by the environment variable names, so an
 * issue path is the variable an operator has to fix.
 */
export const commonEnv = z.object({
  NODE_ENV: nodeEnv,
  LOG_LEVEL: logLevel,
  SHUTDOWN_TIMEOUT_MS: envInt(1_000, 120_000).default(15_000),
});

/** Raw Redis variables; resolveRedisConfig turns them into one RedisTarget. */
export const redisEnv = z.object({
  // No default here: whether it was set decides whether it conflicts with Sentinel or Cluster.
  REDIS_URL: redisUrl.optional(),
  REDIS_SENTINELS: redisNodes.optional(),
  REDIS_SENTINEL_MASTER: z.string().min(1).optional(),
  REDIS_SENTINEL_PASSWORD: z.string().min(1).optional(),
  REDIS_PASSWORD: z.string().min(1).optional(),
  REDIS_CLUSTER_NODES: redisNodes.optional(),
  // A `{hash tag}` prefix keeps every key of a queue in one Redis Cluster slot.
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_{}:-]{1,64}$/, { message: 'must be 1-64 of letters, digits, _ - : { }' })
    .default('wxcs'),
  QUEUE_JOB_ATTEMPTS: envInt(1, 100).default(10),
});

export const databaseEnv = z.object({
  DATABASE_URL: postgresUrl.default('postgresql://postgres@127.0.0.1:5432/wechat_cs'),
  DATABASE_POOL_SIZE: envInt(1, 200).default(10),
});

export const receiverEnv = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  // /healthz, /readyz and /metrics: never behind the public reverse proxy.
  RECEIVER_OPS_PORT: port.default(3010),
  RECEIVER_BODY_LIMIT_BYTES: envInt(1_024, 10 * 1024 * 1024).default(256 * 1024),
  // Well under WeChat's 5 s: after this the callback goes to the local spool.
  RECEIVER_ENQUEUE_TIMEOUT_MS: envInt(50, 4_000).default(1_500),
  RECEIVER_SPOOL_DIR: z.string().min(1).default('var/spool'),
  RECEIVER_BATCH_MAX_SIZE: envInt(1, 1_000).default(200),
  // Replicas that must hold a batch (Redis WAIT) before it is acknowledged from
  // Redis; 0 acknowledges once the master has it, as asynchronous replication does.
  RECEIVER_REPLICA_ACKS: envInt(0, 16).default(0),
  // How long WAIT may block; loadReceiverConfig keeps it within the enqueue timeout.
  RECEIVER_REPLICA_ACK_TIMEOUT_MS: envInt(10, 2_000).default(500),
  // WeChat sends a small body at once; a client slower than this is a
  // slow-loris attack holding a socket, not WeChat.
  RECEIVER_REQUEST_TIMEOUT_MS: envInt(1_000, 60_000).default(10_000),
  // WeChat re-sends within ~15 s; 300 s leaves room for minutes of clock skew
  // while bounding how long a captured callback can be replayed (0: no bound).
  RECEIVER_TIMESTAMP_TOLERANCE_SECONDS: envInt(0, 86_400).default(300),
  // Deliveries each receiver remembers to answer a repeat without queueing it again.
  RECEIVER_DELIVERY_WINDOW_SIZE: envInt(1_000, 10_000_000).default(100_000),
});

export const workerEnv = z.object({
  WORKER_PORT: port.default(3001),
  WORKER_CONCURRENCY: envInt(1, 1_000).default(256),
  WORKER_BATCH_SIZE: envInt(1, 1_000).default(64),
  WORKER_BATCH_MAX_WAIT_MS: envInt(0, 5_000).default(25),
  WORKER_BACKOFF_BASE_MS: envInt(10, 600_000).default(1_000),
  WORKER_BACKOFF_MAX_MS: envInt(100, 86_400_000).default(5 * 60_000),
  WORKER_STALLED_INTERVAL_MS: envInt(1_000, 600_000).default(30_000),
  WORKER_COMPLETED_RETENTION: envInt(0, 1_000_000).default(1_000),
  // Images archived at once per replica: each holds up to MEDIA_MAX_BYTES in memory with the PostgreSQL store.
  MEDIA_ARCHIVE_CONCURRENCY: envInt(1, 64).default(4),
});

/** WeChat's server API, for replies, typing and media (worker and support API). */
export const wechatApiEnv = z.object({
  // Per deployment: a proxy in front of WeChat, or the testkit's fake.
  WECHAT_API_BASE_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).default('https://api.weixin.qq.com'),
  // One HTTP exchange with WeChat, body included.
  WECHAT_API_TIMEOUT_MS: envInt(500, 60_000).default(10_000),
});

export const supportEnv = z.object({
  SUPPORT_PORT: port.default(3003),
  // Parsed by parseSupportTokens: a JSON array of {"name","token"}.
  SUPPORT_API_TOKENS: z.string().min(1).optional(),
  // The inbox's sign-in: a browser idle this long signs in again.
  SUPPORT_SESSION_IDLE_MINUTES: envInt(5, 7 * 24 * 60).default(8 * 60),
  // Cookies only over HTTPS (and named __Host-); unset: on in production, off elsewhere (http://localhost).
  SUPPORT_COOKIE_SECURE: envBoolean.optional(),
});

export const dashboardEnv = z.object({
  DASHBOARD_PORT: port.default(3002),
  DASHBOARD_USER: z.string().min(1).optional(),
  DASHBOARD_PASSWORD: z.string().min(1).optional(),
});

export { envBoolean };
