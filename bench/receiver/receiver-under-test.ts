import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProducerRedis, intakeQueue, type CallbackBatch, type Redis } from '@wxcs/queue';
import { deleteQueuePrefix } from '@wxcs/queue/testing';
import { spawnServer, type ServerUnderTest } from './processes.js';
import { BENCH_APP } from './signed-requests.js';

export interface DurabilityCheck {
  /** Callbacks the receiver answered `success` to, from its own metrics. */
  readonly acked: number;
  readonly spooled: number;
  readonly callbacksInQueue: number;
  readonly spoolDepth: number;
  readonly meanBatch: number;
}

export interface ReceiverUnderTest extends ServerUnderTest {
  readonly check: () => Promise<DurabilityCheck>;
  readonly logBytes: () => number;
  /** SIGTERM, then deletes its queue keys and temp files; resolves with the exit code. */
  readonly dispose: () => Promise<number | null>;
}

async function metricSum(url: string, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
}

/** The real apps/receiver main.ts, production mode, its own queue prefix in the given Redis; `env` adds settings. */
export async function startReceiverUnderTest(redisUrl: string, logLevel: string, env: Readonly<Record<string, string>> = {}): Promise<ReceiverUnderTest> {
  const prefix = `bench-receiver-${randomBytes(4).toString('hex')}`;
  const work = mkdtempSync(join(tmpdir(), 'bench-receiver-'));
  const logFile = join(work, 'receiver.log');
  const server = await spawnServer(
    fileURLToPath(new URL('../../apps/receiver/src/main.ts', import.meta.url)),
    {
      NODE_ENV: 'production',
      LOG_LEVEL: logLevel,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      RECEIVER_SPOOL_DIR: join(work, 'spool'),
      HOST: '127.0.0.1',
      WECHAT_TOKEN: BENCH_APP.token,
      WECHAT_ENCODING_AES_KEY: BENCH_APP.encodingAesKey,
      WECHAT_APP_ID: BENCH_APP.appId,
      ...env,
    },
    openSync(logFile, 'w'),
  );
  const redis = createProducerRedis({ kind: 'single', url: redisUrl });
  await redis.connect();
  const depth = /wxcs_receiver_spool_depth\{[^}]*\} (\d+)/g;

  async function check(): Promise<DurabilityCheck> {
    // Spooled callbacks count once they are drained into Redis.
    for (let i = 0; i < 100 && (await metricSum(server.opsUrl, depth)) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    const batches = await metricSum(server.opsUrl, /wxcs_receiver_enqueue_batch_size_count\{[^}]*\} (\d+)/g);
    const batched = await metricSum(server.opsUrl, /wxcs_receiver_enqueue_batch_size_sum\{[^}]*\} (\d+)/g);
    return {
      acked: await metricSum(server.opsUrl, /wxcs_receiver_requests_total\{[^}]*outcome="(?:queued|spooled)"[^}]*\} (\d+)/g),
      spooled: await metricSum(server.opsUrl, /wxcs_receiver_requests_total\{[^}]*outcome="spooled"[^}]*\} (\d+)/g),
      callbacksInQueue: await countQueuedCallbacks(redis as Redis, prefix),
      spoolDepth: await metricSum(server.opsUrl, depth),
      meanBatch: batched / Math.max(1, batches),
    };
  }

  return {
    ...server,
    check,
    logBytes: () => statSync(logFile).size,
    dispose: async () => {
      const code = await server.stop();
      redis.disconnect();
      await deleteQueuePrefix(redisUrl, prefix);
      rmSync(work, { recursive: true, force: true });
      return code;
    },
  };
}

/**
 * Distinct callbacks in the intake batches waiting under `prefix` (no worker
 * runs in the bench). Read a chunk of jobs at a time: all of them at once
 * would be hundreds of megabytes.
 */
async function countQueuedCallbacks(redis: Redis, prefix: string): Promise<number> {
  const waiting = `${prefix}:${intakeQueue.name}:wait`;
  const ids = new Set<string>();
  const chunk = 500;
  for (let start = 0; ; start += chunk) {
    const jobIds = await redis.lrange(waiting, start, start + chunk - 1);
    if (jobIds.length === 0) return ids.size;
    const pipeline = redis.pipeline();
    for (const id of jobIds) pipeline.hget(`${prefix}:${intakeQueue.name}:${id}`, 'data');
    for (const [, data] of (await pipeline.exec()) ?? []) {
      for (const callback of (JSON.parse(String(data)) as CallbackBatch).callbacks) ids.add(callback.callbackId);
    }
  }
}
