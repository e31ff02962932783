// One archiver variant in a process of its own, so its memory is its own:
// `node --import tsx --conditions=source bench/media/variant.ts`, configured by
// BENCH_* variables (see run.ts). Prints one JSON line with its figures.
import { createHash } from 'node:crypto';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createPrismaClient, findMediaArchive, recordArchived } from '@wxcs/db';
import { archiveMedia, createPostgresStore, createS3Client, createS3Store, sniffImage, type MediaStore } from '@wxcs/media';
import { createWechatApi, MEDIA_GET_PATH, type WechatApp } from '@wxcs/wechat-api';
import { Redis } from 'ioredis';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const variant = env('BENCH_VARIANT') as 'buffered-s3' | 'streamed-s3' | 'postgres';
const app: WechatApp = JSON.parse(env('BENCH_APP')) as WechatApp;
const mediaIds = env('BENCH_MEDIA_IDS').split(',');
const concurrency = Number(env('BENCH_CONCURRENCY'));
const maxBytes = 10 * 1024 * 1024;

const s3Config = {
  MEDIA_STORE: 's3' as const,
  MEDIA_MAX_BYTES: maxBytes,
  MEDIA_S3_BUCKET: env('BENCH_S3_BUCKET'),
  MEDIA_S3_REGION: 'us-east-1',
  MEDIA_S3_ENDPOINT: env('BENCH_S3_ENDPOINT'),
  MEDIA_S3_FORCE_PATH_STYLE: true,
  MEDIA_S3_ACCESS_KEY_ID: 'S3RVER',
  MEDIA_S3_SECRET_ACCESS_KEY: 'S3RVER',
  MEDIA_S3_PREFIX: `${variant}/`,
};
const s3 = createS3Client(s3Config);
const prisma = createPrismaClient({ databaseUrl: env('DATABASE_URL'), poolSize: concurrency });
const redis = new Redis(env('REDIS_URL'), { maxRetriesPerRequest: 1 });
const { client: wechat, tokens } = createWechatApi({ redis, prefix: env('BENCH_PREFIX'), baseUrl: env('BENCH_WECHAT_URL'), timeoutMs: 30_000, fetch });

/**
 * The baseline: what an archiver written without streaming does. The whole
 * answer is read into memory, checked, hashed and put in one request.
 */
async function bufferedArchive(mediaId: string): Promise<void> {
  const archive = await findMediaArchive(prisma, { appId: app.appId, mediaId });
  if (archive?.status !== 'pending') throw new Error(`${mediaId} is not pending`);
  const url = new URL(MEDIA_GET_PATH, env('BENCH_WECHAT_URL'));
  url.searchParams.set('access_token', await tokens.get(app));
  url.searchParams.set('media_id', mediaId);
  const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
  const image = sniffImage(bytes);
  if (image === undefined || bytes.length > maxBytes) throw new Error(`${mediaId} is not an image within the limit`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const key = `${s3Config.MEDIA_S3_PREFIX}sha256/${sha256}`;
  const exists = await s3.send(new HeadObjectCommand({ Bucket: s3Config.MEDIA_S3_BUCKET, Key: key })).then(
    () => true,
    () => false,
  );
  if (!exists) await s3.send(new PutObjectCommand({ Bucket: s3Config.MEDIA_S3_BUCKET, Key: key, Body: bytes, ContentType: image.type }));
  await recordArchived(prisma, { appId: app.appId, mediaId, blob: { sha256, contentType: image.type, size: bytes.length, storage: 's3' }, bytes: null });
}

function ourArchive(store: MediaStore) {
  return async (mediaId: string): Promise<void> => {
    const result = await archiveMedia({ prisma, store, maxBytes, download: (id) => wechat.downloadMedia(app, id) }, { appId: app.appId, mediaId });
    if (result.outcome !== 'archived') throw new Error(`${mediaId}: ${result.outcome}`);
  };
}

const archiveOne =
  variant === 'buffered-s3'
    ? bufferedArchive
    : ourArchive(variant === 'streamed-s3' ? createS3Store({ client: s3, bucket: s3Config.MEDIA_S3_BUCKET, prefix: s3Config.MEDIA_S3_PREFIX }) : createPostgresStore());

// The token and the connections first, so the run measures archiving only.
await tokens.get(app);
await prisma.$queryRawUnsafe('SELECT 1');
// Live memory, not garbage not yet collected: every sample follows a full GC (run with --expose-gc).
const collect = global.gc ?? (() => undefined);
collect();
const before = process.memoryUsage();
let peakRss = before.rss;
let peakBuffers = 0;
const sampler = setInterval(() => {
  collect();
  const now = process.memoryUsage();
  peakRss = Math.max(peakRss, now.rss);
  peakBuffers = Math.max(peakBuffers, now.arrayBuffers - before.arrayBuffers);
}, 50);

const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < mediaIds.length) {
      const mediaId = mediaIds[next] ?? '';
      next += 1;
      await archiveOne(mediaId);
    }
  }),
);
const seconds = (performance.now() - started) / 1_000;
clearInterval(sampler);
process.stdout.write(
  `${JSON.stringify({
    variant,
    images: mediaIds.length,
    seconds,
    perSecond: mediaIds.length / seconds,
    peakRssGrowthBytes: peakRss - before.rss,
    peakLiveBufferBytes: peakBuffers,
  })}\n`,
);
s3.destroy();
redis.disconnect();
await prisma.$disconnect();
