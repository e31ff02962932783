import { loadReceiverConfig, type RedisTarget } from '@wxcs/config';
import { createTestDatabase } from '@wxcs/db/testing';
import { appCredentials, type AppCredentials } from '@wxcs/wechat';
import { SAMPLE_APP } from '@wxcs/wechat/testing';
import {
  auditTable,
  freePort,
  isDrained,
  makeTempDir,
  queueCounts,
  readMetric,
  sleep,
  startAppProcess,
  startThrowawayPostgres,
  startThrowawayRedis,
  type AppProcess,
  type CleanupStack,
  type LoadReport,
  type QueueCounts,
  type TableAudit,
  type ThrowawayCluster,
  type ThrowawayPostgres,
  type ThrowawayRedis,
  type ThrowawaySentinel,
} from '@wxcs/testkit';
import { testWithCleanup } from '@wxcs/testkit/fixtures';

export interface WechatIdentity {
  readonly token: string;
  readonly encodingAesKey: string;
  readonly appId: string;
}

/** The Redis a pipeline runs on: a single node, a Sentinel setup or a Cluster. */
export type PipelineRedis = ThrowawayRedis | ThrowawaySentinel | ThrowawayCluster;

export interface PipelineOptions<R extends PipelineRedis = ThrowawayRedis> {
  readonly label: string;
  readonly cleanup: CleanupStack;
  /**
   * A started Sentinel setup or Cluster for every app to connect to (the
   * caller tears it down). Without it the pipeline starts a single node of
   * its own, as docker-compose runs one.
   */
  readonly redis?: R;
  /** AOF everysec as in docker-compose unless turned off (the pipeline's own single node only). */
  readonly appendOnly?: boolean;
  /** `shared`: a fresh database on the machine's PostgreSQL; `throwaway`: a private server the test may stop. */
  readonly postgres?: 'shared' | 'throwaway';
  readonly postgresPassword?: string;
  readonly workers?: number;
  readonly identity?: WechatIdentity;
  readonly logLevel?: string;
  readonly receiverEnv?: Readonly<Record<string, string>>;
  readonly workerEnv?: Readonly<Record<string, string>>;
  /** Mutant copies (break demonstrations only). */
  readonly receiverDir?: string;
  readonly workerDir?: string;
}

export interface Settled {
  readonly settled: boolean;
  readonly counts: QueueCounts | undefined;
  readonly spoolDepth: number | undefined;
  readonly waitedMs: number;
}

export interface Pipeline<R extends PipelineRedis = ThrowawayRedis> {
  readonly redis: R;
  /** The variables that point an app at `redis`: REDIS_URL, or those of the Sentinel setup or the Cluster. */
  readonly redisEnv: Readonly<Record<string, string>>;
  /** `queueCounts` of this pipeline's queues, on whichever topology. */
  readonly queueCounts: () => Promise<QueueCounts>;
  readonly postgres: ThrowawayPostgres | undefined;
  readonly databaseUrl: string;
  readonly prefix: string;
  readonly spoolDir: string;
  readonly identity: WechatIdentity;
  readonly credentials: AppCredentials;
  readonly callbackUrl: string;
  readonly receiverPort: number;
  /** The current receiver process (replaced by restartReceiver). */
  readonly receiver: () => AppProcess;
  readonly workers: () => readonly AppProcess[];
  /** Every process started so far, in order, including killed ones (their logs stay readable). */
  readonly allProcesses: () => readonly AppProcess[];
  /** Starts a receiver on the same port and spool dir (`env` overrides, e.g. another RECEIVER_SPOOL_DIR). */
  readonly startReceiver: (env?: Readonly<Record<string, string>>) => Promise<AppProcess>;
  readonly startWorker: () => Promise<AppProcess>;
  /** Waits until the spool and the queue are empty and `expected` distinct messages are stored. */
  readonly waitSettled: (load: LoadReport, expected: number, timeoutMs?: number) => Promise<Settled>;
  readonly audit: (load: LoadReport) => Promise<TableAudit>;
  readonly receiverMetric: (name: string, labels?: Record<string, string>) => Promise<number>;
}

export const SAMPLE_IDENTITY: WechatIdentity = { ...SAMPLE_APP };


async function openDatabase(options: PipelineOptions<PipelineRedis>): Promise<{ url: string; postgres?: ThrowawayPostgres }> {
  if ((options.postgres ?? 'shared') === 'throwaway' || options.postgresPassword !== undefined) {
    const postgres = await startThrowawayPostgres({ password: options.postgresPassword });
    options.cleanup.defer('postgres', () => postgres.dispose());
    return { url: postgres.url, postgres };
  }
  const database = await createTestDatabase(options.label);
  options.cleanup.defer('database', () => database.drop());
  return { url: database.url };
}

async function openRedis(options: PipelineOptions<PipelineRedis>): Promise<PipelineRedis> {
  if (options.redis) return options.redis;
  const redis = await startThrowawayRedis({ appendOnly: options.appendOnly ?? true });
  options.cleanup.defer('redis', () => redis.dispose());
  return redis;
}

/**
 * Receiver + worker replicas as child processes (their real main.ts) on a
 * throwaway Redis (or the Sentinel setup or Cluster given), a private queue
 * prefix, a temp spool dir and their own database. Everything is registered
 * on the cleanup stack as it is created.
 */
export async function startPipeline<R extends PipelineRedis = ThrowawayRedis>(options: PipelineOptions<R>): Promise<Pipeline<R>> {
  const { cleanup } = options;
  // Only a caller's own R can be passed in; the default, started here, is the ThrowawayRedis R defaults to.
  const redis = (await openRedis(options)) as R;
  const redisEnv = 'env' in redis ? redis.env : { REDIS_URL: redis.url };
  const database = await openDatabase(options);
  const spool = await makeTempDir(`${options.label}-spool`);
  cleanup.defer('spool dir', () => spool.remove());
  const identity = options.identity ?? SAMPLE_IDENTITY;
  // On a Cluster every key of a queue must hash to one slot: the {tag} does that.
  const prefix = 'masters' in redis ? `{rel-${options.label}}` : `rel-${options.label}`;
  // The target as the apps derive it from the same variables, for the probes.
  const target: RedisTarget = loadReceiverConfig({ ...redisEnv, QUEUE_PREFIX: prefix }).redis.target;
  const receiverPort = await freePort();
  const receiverOpsPort = await freePort();
  const processes: AppProcess[] = [];
  let receiver: AppProcess | undefined;
  const workers: AppProcess[] = [];
  cleanup.defer('app processes', async () => {
    await Promise.all(processes.map((child) => child.stop('SIGTERM', 10_000)));
  });

  const common = {
    NODE_ENV: 'test',
    LOG_LEVEL: options.logLevel ?? 'warn',
    ...redisEnv,
    QUEUE_PREFIX: prefix,
    SHUTDOWN_TIMEOUT_MS: '10000',
    WECHAT_TOKEN: identity.token,
    WECHAT_ENCODING_AES_KEY: identity.encodingAesKey,
    WECHAT_APP_ID: identity.appId,
  };

  async function startReceiver(env: Readonly<Record<string, string>> = {}): Promise<AppProcess> {
    const child = startAppProcess({
      app: 'receiver',
      port: receiverPort,
      opsPort: receiverOpsPort,
      appDir: options.receiverDir,
      env: { ...common, HOST: '127.0.0.1', RECEIVER_SPOOL_DIR: spool.path, ...options.receiverEnv, ...env },
    });
    processes.push(child);
    receiver = child;
    await child.waitReady();
    return child;
  }

  async function startWorker(): Promise<AppProcess> {
    const child = startAppProcess({
      app: 'worker',
      port: await freePort(),
      appDir: options.workerDir,
      env: {
        ...common,
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: '8',
        WORKER_CONCURRENCY: '32',
        WORKER_BATCH_SIZE: '50',
        WORKER_BATCH_MAX_WAIT_MS: '10',
        WORKER_BACKOFF_BASE_MS: '100',
        WORKER_BACKOFF_MAX_MS: '2000',
        WORKER_STALLED_INTERVAL_MS: '2000',
        ...options.workerEnv,
      },
    });
    processes.push(child);
    workers.push(child);
    await child.waitReady();
    return child;
  }

  await startReceiver();
  for (let i = 0; i < (options.workers ?? 1); i += 1) await startWorker();

  const receiverMetric = async (name: string, labels: Record<string, string> = {}) =>
    readMetric(await (receiver as AppProcess).metrics(), name, labels);

  async function waitSettled(load: LoadReport, expected: number, timeoutMs = 60_000): Promise<Settled> {
    const started = Date.now();
    let counts: QueueCounts | undefined;
    let spoolDepth: number | undefined;
    while (Date.now() - started < timeoutMs) {
      spoolDepth = await receiverMetric('wxcs_receiver_spool_depth').catch(() => undefined);
      counts = await queueCounts(target, prefix).catch(() => undefined);
      const audit = await auditTable(database.url, load).catch(() => undefined);
      if (spoolDepth === 0 && counts && isDrained(counts) && audit && audit.distinctStored >= expected) {
        // A moment more, so a late duplicate insert would still be seen.
        await sleep(500);
        return { settled: true, counts, spoolDepth, waitedMs: Date.now() - started };
      }
      await sleep(250);
    }
    return { settled: false, counts, spoolDepth, waitedMs: Date.now() - started };
  }

  return {
    redis,
    redisEnv,
    queueCounts: () => queueCounts(target, prefix),
    postgres: database.postgres,
    databaseUrl: database.url,
    prefix,
    spoolDir: spool.path,
    identity,
    credentials: appCredentials(identity),
    callbackUrl: `http://127.0.0.1:${receiverPort}/wechat/default`,
    receiverPort,
    receiver: () => receiver as AppProcess,
    workers: () => workers,
    allProcesses: () => processes,
    startReceiver,
    startWorker,
    waitSettled,
    audit: (load) => auditTable(database.url, load),
    receiverMetric,
  };
}

/** What a test file asks of its pipeline; the cleanup stack is the fixture's. */
export type PipelineSetup<R extends PipelineRedis = ThrowawayRedis> = Omit<PipelineOptions<R>, 'cleanup'>;

/**
 * `test` with a file-wide `pipeline`, started by the first test (or hook)
 * that names it. `setup` may be a function of the cleanup stack, for a test
 * that first builds a mutant copy of an app (RELIABILITY_BREAK) or starts a
 * Sentinel setup or a Cluster to run on.
 */
export function pipelineTest<R extends PipelineRedis = ThrowawayRedis>(
  setup: PipelineSetup<R> | ((cleanup: CleanupStack) => Promise<PipelineSetup<R>>),
) {
  return testWithCleanup.extend('pipeline', { scope: 'file' }, async ({ cleanup }) =>
    startPipeline<R>({ ...(typeof setup === 'function' ? await setup(cleanup) : setup), cleanup }),
  );
}
