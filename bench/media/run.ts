// Image archiving throughput and memory: `npm run bench:media`.
// One run, same servers: a fake WeChat serving BENCH_IMAGES distinct 2 MB
// JPEGs per variant, a real S3-protocol server (s3rver) and a database of its
// own. Each variant archives its images BENCH_CONCURRENCY at a time in a
// process of its own:
//   (a) buffered-s3: the baseline, every answer read whole, then put;
//   (b) streamed-s3: archiveMedia with the S3 store, bytes streamed through;
//   (c) postgres: archiveMedia with the PostgreSQL store, which needs the bytes whole.
// Memory is sampled every 50 ms right after a full GC: what the archiver
// holds, not garbage waiting for the collector.
// Env: BENCH_IMAGES (60), BENCH_CONCURRENCY (8), REDIS_URL.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { insertMessages } from '@wxcs/db';
import { createTestDatabase, newMessage } from '@wxcs/db/testing';
import { deleteQueuePrefix, uniqueQueuePrefix } from '@wxcs/queue/testing';
import { jpegOfSize, startFakeWechatApi, startThrowawayS3 } from '@wxcs/testkit';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const IMAGE_BYTES = 2 * 1024 * 1024;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VARIANTS = ['buffered-s3', 'streamed-s3', 'postgres'] as const;

interface Figures {
  readonly variant: string;
  readonly images: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly peakRssGrowthBytes: number;
  readonly peakLiveBufferBytes: number;
}

function runVariant(env: Record<string, string>): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', '--conditions=source', 'bench/media/variant.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output.trim().split('\n').at(-1) ?? '') as Figures) : reject(new Error(`variant exited ${code}`))));
  });
}

const apps = VARIANTS.map((variant, index) => ({ name: variant, appId: `wxbench${index}0000000000`, appSecret: `bench-secret-${index}` }));
const fake = await startFakeWechatApi({ apps: apps.map((app) => ({ appId: app.appId, secret: app.appSecret })) });
const s3 = await startThrowawayS3({ bucket: 'wxcs-bench-media' });
const db = await createTestDatabase('bench-media', { poolSize: 2 });
const prefix = uniqueQueuePrefix('bench-media');
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
try {
  const results: Figures[] = [];
  for (const [index, variant] of VARIANTS.entries()) {
    const app = apps[index] ?? apps[0];
    if (app === undefined) throw new Error('no app');
    const mediaIds = Array.from({ length: IMAGES }, (_unused, n) => fake.addUserMedia(app.appId, { bytes: jpegOfSize(IMAGE_BYTES, `${variant}-${n}`), contentType: 'image/jpeg' }));
    await insertMessages(
      db.prisma,
      mediaIds.map((mediaId) => newMessage({ appId: app.appId, msgType: 'image', msgInfo: { pic: '', media_id: mediaId }, msgCreateTime: new Date() })),
    );
    const figures = await runVariant({
      BENCH_VARIANT: variant,
      BENCH_APP: JSON.stringify(app),
      BENCH_MEDIA_IDS: mediaIds.join(','),
      BENCH_CONCURRENCY: String(CONCURRENCY),
      BENCH_S3_BUCKET: s3.bucket,
      BENCH_S3_ENDPOINT: s3.endpoint,
      BENCH_WECHAT_URL: fake.url,
      BENCH_PREFIX: prefix,
      DATABASE_URL: db.url,
      REDIS_URL,
    });
    results.push(figures);
    process.stdout.write(
      `${variant.padEnd(12)} ${figures.perSecond.toFixed(1).padStart(6)} images/s  peak RSS growth ${mb(figures.peakRssGrowthBytes).padStart(6)} MB  peak live buffers ${mb(figures.peakLiveBufferBytes).padStart(6)} MB  (${figures.images} × 2 MB, ${CONCURRENCY} at once)\n`,
    );
  }
  const [buffered, streamed, postgres] = results;
  if (buffered && streamed && postgres) {
    process.stdout.write(
      `streamed-s3 / buffered-s3: throughput ${(streamed.perSecond / buffered.perSecond).toFixed(2)}×, peak live buffers ${(streamed.peakLiveBufferBytes / buffered.peakLiveBufferBytes).toFixed(2)}×, peak RSS growth ${(streamed.peakRssGrowthBytes / buffered.peakRssGrowthBytes).toFixed(2)}×\n` +
        `postgres / buffered-s3:    throughput ${(postgres.perSecond / buffered.perSecond).toFixed(2)}×, peak live buffers ${(postgres.peakLiveBufferBytes / buffered.peakLiveBufferBytes).toFixed(2)}×\n`,
    );
  }
} finally {
  await Promise.all([fake.close(), s3.stop(), db.drop(), deleteQueuePrefix(REDIS_URL, prefix)]);
}
