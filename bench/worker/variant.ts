import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@wxcs/db/testing';
import { addCallbackBatch, createProducerRedis, inboundQueue, intakeQueue, openQueue, type InboundQueue, type IntakeQueue } from '@wxcs/queue';
import { deleteQueuePrefix } from '@wxcs/queue/testing';
import { freePort } from '@wxcs/testkit';
import type { Workload } from './callbacks.js';
import { BENCH_APP } from './child-env.js';
import { percentile, readJobTimes, readMachineBusyMs, readPeakRssMb, readProcessCpuMs } from './measure.js';
import { ROOT, spawnWorker, type WorkerProcess } from './processes.js';

/** The node flags `npm start` gives the worker in production (apps/worker/package.json). */
function workerNodeFlags(): string[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'apps/worker/package.json'), 'utf8')) as { scripts: { start: string } };
  return manifest.scripts.start.split(' ').filter((part) => part.startsWith('--'));
}

/** Each variant's entry point and node flags: the baselines run with node's defaults, ours (and its ceiling) as deployed. */
export const VARIANTS = {
  'a) no-op BullMQ worker': { script: 'bench/worker/noop-worker.ts', nodeFlags: [] },
  'b) naive: one Prisma create per job': { script: 'bench/worker/naive-worker.ts', nodeFlags: [] },
  'c) apps/worker (batched)': { script: 'apps/worker/src/main.ts', nodeFlags: workerNodeFlags() },
  // Not a target: the ceiling for (c), with (c)'s node flags.
  'd) protocol work only, nothing stored': { script: 'bench/worker/protocol-only-worker.ts', nodeFlags: workerNodeFlags() },
  // (c) as the receiver feeds it: batches in wechat-intake, which the worker unpacks first.
  'e) apps/worker from intake batches': { script: 'apps/worker/src/main.ts', nodeFlags: workerNodeFlags(), fromIntake: true },
} as const satisfies Record<string, { script: string; nodeFlags: readonly string[]; fromIntake?: true }>;
export type Variant = keyof typeof VARIANTS;

const storesNothing = (variant: Variant) => variant.startsWith('a)') || variant.startsWith('d)');

export interface VariantSettings {
  readonly redisUrl: string;
  readonly concurrency: string;
  readonly poolSize: string;
  /** Extra variables for every worker, e.g. WORKER_BATCH_SIZE. */
  readonly env: Readonly<Record<string, string>>;
  readonly cpuProfileDir?: string;
}

export interface Result {
  readonly variant: Variant;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** finishedOn − processedOn: time a job spent inside the worker. */
  readonly p99InWorkerMs: number;
  /** Share of one CPU the worker used while draining. */
  readonly workerCpu: number;
  readonly workerCpuUsPerMessage: number;
  /** Everything else on the machine (Redis, PostgreSQL, other tenants), in CPUs. */
  readonly otherCpu: number;
  readonly peakRssMb: number;
  readonly stored: string;
}

async function enqueueAll(queue: InboundQueue, workload: Workload): Promise<string[]> {
  // Completed jobs are kept (all variants alike) so their timestamps can be read afterwards.
  const opts = { ...inboundQueue.jobOptions({ attempts: 10 }), removeOnComplete: false };
  for (let start = 0; start < workload.deliveries.length; start += 1_000) {
    const chunk = workload.deliveries.slice(start, start + 1_000);
    await queue.addBulk(chunk.map((callback) => ({ name: inboundQueue.jobName, data: callback, opts: { ...opts, jobId: inboundQueue.jobId(callback) } })));
  }
  return workload.deliveries.map((callback) => callback.callbackId);
}

/** Callbacks per intake batch for (e): about the receiver's mean batch under the receiver benchmark's load. */
const INTAKE_BATCH_SIZE = 16;

async function enqueueBatches(queue: IntakeQueue, workload: Workload): Promise<string[]> {
  for (let start = 0; start < workload.deliveries.length; start += INTAKE_BATCH_SIZE) {
    await addCallbackBatch(queue, workload.deliveries.slice(start, start + INTAKE_BATCH_SIZE), { attempts: 10 });
  }
  return workload.deliveries.map((callback) => callback.callbackId);
}

async function verifyStored(database: TestDatabase, distinct: number): Promise<string> {
  const [counts] = await database.prisma.$queryRawUnsafe<{ rows: bigint; keys: bigint }[]>(
    'SELECT count(*) AS rows, count(DISTINCT (app_id, dedup_key)) AS keys FROM customer_message',
  );
  if (counts?.rows !== BigInt(distinct) || counts.keys !== BigInt(distinct)) {
    throw new Error(`expected ${distinct} rows stored once, got ${counts?.rows} rows / ${counts?.keys} keys`);
  }
  return `${distinct} rows, each once ✔`;
}

async function waitForAll(queue: InboundQueue, total: number, isGone: () => boolean): Promise<void> {
  const deadline = Date.now() + 600_000;
  while ((await queue.getCompletedCount()) < total) {
    if (isGone()) throw new Error('the worker exited before draining the queue');
    if ((await queue.getFailedCount()) > 0) throw new Error('some jobs failed');
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What an interrupted run still has to remove (Ctrl-C, timeout): see run.ts. */
export const pendingCleanups = new Set<() => Promise<void>>();

/** One variant on a fresh database and a fresh queue prefix, both removed afterwards. */
export async function runVariant(variant: Variant, workload: Workload, settings: VariantSettings): Promise<Result> {
  const prefix = `bench-worker-${randomBytes(4).toString('hex')}`;
  const database = await createTestDatabase('bench-worker');
  const redis = createProducerRedis({ kind: 'single', url: settings.redisUrl });
  await redis.connect();
  const queue = openQueue(inboundQueue, { connection: redis, prefix });
  const intake = openQueue(intakeQueue, { connection: redis, prefix });
  const fromIntake = 'fromIntake' in VARIANTS[variant];
  let worker: WorkerProcess | undefined;
  let cleaning: Promise<void> | undefined;
  // Once only: an interrupt and the finally below may both ask for it.
  const cleanup = () =>
    (cleaning ??= (async () => {
      await worker?.stop();
      await deleteQueuePrefix(settings.redisUrl, prefix);
      await database.drop();
      await Promise.all([queue.close(), intake.close()]);
      redis.disconnect();
    })());
  pendingCleanups.add(cleanup);
  try {
    const jobIds = fromIntake ? await enqueueBatches(intake, workload) : await enqueueAll(queue, workload);
    worker = spawnWorker(
      VARIANTS[variant],
      {
        REDIS_URL: settings.redisUrl,
        QUEUE_PREFIX: prefix,
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: settings.poolSize,
        WORKER_CONCURRENCY: settings.concurrency,
        WORKER_PORT: String(await freePort()),
        WECHAT_APPS: JSON.stringify([BENCH_APP]),
        // The unpacked jobs' retention is the worker's: keep them all, as enqueueAll does, for their timestamps.
        ...(fromIntake ? { WORKER_COMPLETED_RETENTION: '1000000' } : {}),
        ...settings.env,
      },
      settings.cpuProfileDir,
    );
    const running = worker;
    await running.ready;
    const [cpuBefore, busyBefore, wallBefore] = [await readProcessCpuMs(running.pid), await readMachineBusyMs(), Date.now()];
    await waitForAll(queue, jobIds.length, running.isGone);
    const cpuMs = (await readProcessCpuMs(running.pid)) - cpuBefore;
    const [busyMs, wallMs] = [(await readMachineBusyMs()) - busyBefore, Date.now() - wallBefore];
    const peakRssMb = await readPeakRssMb(running.pid);
    await running.stop();

    const times = await readJobTimes(redis, prefix, jobIds);
    const first = Math.min(...times.map((t) => t.processedOn));
    const last = Math.max(...times.map((t) => t.finishedOn));
    const latencies = times.map((t) => t.finishedOn - t.timestamp);
    return {
      variant,
      perSecond: (jobIds.length / (last - first)) * 1_000,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      p99InWorkerMs: percentile(times.map((t) => t.finishedOn - t.processedOn), 99),
      workerCpu: cpuMs / wallMs,
      workerCpuUsPerMessage: (cpuMs * 1_000) / jobIds.length,
      otherCpu: (busyMs - cpuMs) / wallMs,
      peakRssMb,
      stored: storesNothing(variant) ? 'nothing (by design)' : await verifyStored(database, workload.distinct),
    };
  } finally {
    pendingCleanups.delete(cleanup);
    await cleanup();
  }
}
