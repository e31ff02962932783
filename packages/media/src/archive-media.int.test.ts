import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { findMediaArchive, insertMessages, readArchivedMedia, type PrismaClient } from '@wxcs/db';
import { databaseTest, newMessage } from '@wxcs/db/testing';
import { TEST_REDIS_URL, deleteQueuePrefix, uniqueQueuePrefix } from '@wxcs/queue/testing';
import { jpegOfSize, pngImage, SMALL_JPEG, startFakeWechatApi, startThrowawayS3, type FakeWechatApi, type ThrowawayS3 } from '@wxcs/testkit';
import { createWechatApi, MEDIA_GET_PATH, WechatApiError, type WechatApp } from '@wxcs/wechat-api';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { archiveMedia, type ArchiveDeps } from './archive-media.js';
import { MediaRefusedError } from './checked-image.js';
import type { MediaStore } from './media-store.js';
import { createPostgresStore } from './postgres-store.js';
import { createS3Client } from './s3-client.js';
import { createS3Store } from './s3-store.js';
import { throwawayS3Config } from './testing/index.js';

const test = databaseTest('media-archive');
const APP: WechatApp = { name: 'shop', appId: 'wx-media-shop', appSecret: 'media-secret' };
const MAX_BYTES = 3 * 1024 * 1024;

let fake: FakeWechatApi;
let s3: ThrowawayS3;
let s3Client: S3Client;
let redis: Redis;
const prefix = uniqueQueuePrefix('media');

beforeAll(async () => {
  fake = await startFakeWechatApi({ apps: [{ appId: APP.appId, secret: APP.appSecret }] });
  s3 = await startThrowawayS3({ bucket: 'wxcs-media-test' });
  s3Client = createS3Client(throwawayS3Config(s3, 'archive/'));
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  s3Client.destroy();
  redis.disconnect();
  await deleteQueuePrefix(TEST_REDIS_URL, prefix);
  await Promise.all([fake.close(), s3.stop()]);
});

const stores: Record<'postgres' | 's3', () => MediaStore> = {
  postgres: () => createPostgresStore(),
  s3: () => createS3Store({ client: s3Client, bucket: s3.bucket, prefix: 'archive/' }),
};

function depsOf(prisma: PrismaClient, store: MediaStore): ArchiveDeps {
  const { client } = createWechatApi({ redis, prefix, baseUrl: fake.url, timeoutMs: 5_000, fetch });
  return { prisma, store, download: (mediaId) => client.downloadMedia(APP, mediaId), maxBytes: MAX_BYTES };
}

/** An image message as the worker stores it: the insert creates its pending archive. */
async function storeImageMessage(prisma: PrismaClient, mediaId: string): Promise<void> {
  await insertMessages(prisma, [newMessage({ appId: APP.appId, msgType: 'image', msgInfo: { pic: 'http://127.0.0.1:9/never-fetched.jpg', media_id: mediaId } })]);
}

async function storedBytes(prisma: PrismaClient, store: MediaStore, mediaId: string): Promise<Buffer> {
  const found = await readArchivedMedia(prisma, { appId: APP.appId, mediaId });
  if (found?.blob === undefined) throw new Error(`${mediaId} is not archived`);
  const chunks: Buffer[] = [];
  for await (const chunk of await store.open(found.blob, found.blob.bytes)) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function objectKeys(): Promise<string[]> {
  const listed = await s3Client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
  return (listed.Contents ?? []).map((object) => object.Key ?? '').sort();
}

async function blobCount(prisma: PrismaClient): Promise<number> {
  const [row] = await prisma.$queryRawUnsafe<{ count: number }[]>(`SELECT count(*)::integer AS count FROM media_blob`);
  return row?.count ?? 0;
}

async function rejection(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe.each(['postgres', 's3'] as const)('archiving into %s', (kind) => {
  test('an image message is archived once, byte for byte, with its type, size and SHA-256', async ({ db }) => {
    const store = stores[kind]();
    const bytes = jpegOfSize(2 * 1024 * 1024, `exact-${kind}`);
    const mediaId = fake.addUserMedia(APP.appId, { bytes, contentType: 'image/jpeg' });
    await storeImageMessage(db.prisma, mediaId);
    expect(await findMediaArchive(db.prisma, { appId: APP.appId, mediaId })).toMatchObject({ status: 'pending' });

    const result = await archiveMedia(depsOf(db.prisma, store), { appId: APP.appId, mediaId });
    const { createHash } = await import('node:crypto');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(result).toMatchObject({ outcome: 'archived', archive: { status: 'archived', sha256, attempts: 1 } });
    expect((await storedBytes(db.prisma, store, mediaId)).equals(bytes)).toBe(true);
    expect((await readArchivedMedia(db.prisma, { appId: APP.appId, mediaId }))?.blob).toMatchObject({ contentType: 'image/jpeg', size: bytes.length, storage: kind });

    const calls = fake.calls(MEDIA_GET_PATH);
    expect(await archiveMedia(depsOf(db.prisma, store), { appId: APP.appId, mediaId })).toMatchObject({ outcome: 'already-ended' });
    expect(fake.calls(MEDIA_GET_PATH)).toBe(calls);
    if (kind === 's3') expect(await objectKeys()).toContain(`archive/sha256/${sha256}`);
  });

  test('the same bytes under two media ids are stored once', async ({ db }) => {
    const store = stores[kind]();
    const bytes = pngImage(64, 64, `twice-${kind}`);
    const first = fake.addUserMedia(APP.appId, { bytes, contentType: 'image/png' });
    const second = fake.addUserMedia(APP.appId, { bytes, contentType: 'image/png' });
    await storeImageMessage(db.prisma, first);
    await storeImageMessage(db.prisma, second);
    const blobsBefore = await blobCount(db.prisma);
    const keysBefore = kind === 's3' ? await objectKeys() : [];

    const a = await archiveMedia(depsOf(db.prisma, store), { appId: APP.appId, mediaId: first });
    const b = await archiveMedia(depsOf(db.prisma, store), { appId: APP.appId, mediaId: second });
    expect(a.outcome === 'archived' && b.outcome === 'archived' && a.archive.sha256 === b.archive.sha256).toBe(true);
    expect(await blobCount(db.prisma)).toBe(blobsBefore + 1);
    expect((await storedBytes(db.prisma, store, second)).equals(bytes)).toBe(true);
    if (kind === 's3') {
      const added = (await objectKeys()).filter((key) => !keysBefore.includes(key));
      // One object, and no scratch upload left behind.
      expect(added).toEqual([`archive/sha256/${a.outcome === 'archived' ? a.archive.sha256 : ''}`]);
    }
  });

  test('a JSON error answer and a file that is not an image are refused before anything is stored', async ({ db }) => {
    const store = stores[kind]();
    const blobsBefore = await blobCount(db.prisma);
    const keysBefore = kind === 's3' ? await objectKeys() : [];

    const expired = fake.addUserMedia(APP.appId, { bytes: SMALL_JPEG, contentType: 'image/jpeg' });
    await storeImageMessage(db.prisma, expired);
    fake.advance(3 * 86_400_000 + 1_000);
    const error = await rejection(archiveMedia(depsOf(db.prisma, store), { appId: APP.appId, mediaId: expired }));
    expect(error).toBeInstanceOf(WechatApiError);
    expect(error).toMatchObject({ errcode: 40007, kind: 'permanent' });

    const page = fake.addUserMedia(APP.appId, { bytes: Buffer.from('<html>not an image</html>'), contentType: 'image/jpeg' });
    await storeImageMessage(db.prisma, page);
    expect(await rejection(archiveMedia(depsOf(db.prisma, store), { appId: APP.appId, mediaId: page }))).toMatchObject({ reason: 'not_an_image' });

    const huge = fake.addUserMedia(APP.appId, { bytes: jpegOfSize(MAX_BYTES + 1, `huge-${kind}`), contentType: 'image/jpeg' });
    await storeImageMessage(db.prisma, huge);
    const tooLarge = await rejection(archiveMedia(depsOf(db.prisma, store), { appId: APP.appId, mediaId: huge }));
    expect(tooLarge).toBeInstanceOf(MediaRefusedError);
    expect(tooLarge).toMatchObject({ reason: 'too_large' });

    // WeChat declares less than it sends: the limit still holds, counted on the bytes themselves.
    const lying = fake.addUserMedia(APP.appId, { bytes: jpegOfSize(MAX_BYTES + 70_000, `lying-${kind}`), contentType: 'image/jpeg' });
    await storeImageMessage(db.prisma, lying);
    const undeclared = await rejection(archiveMedia({ ...depsOf(db.prisma, store), download: async (mediaId) => ({ ...(await depsOf(db.prisma, store).download(mediaId)), contentLength: undefined }) }, { appId: APP.appId, mediaId: lying }));
    expect(undeclared).toBeInstanceOf(MediaRefusedError);
    expect(undeclared).toMatchObject({ reason: 'too_large' });

    expect(await blobCount(db.prisma)).toBe(blobsBefore);
    if (kind === 's3') expect(await objectKeys()).toEqual(keysBefore);
    for (const mediaId of [expired, page, huge, lying]) expect(await findMediaArchive(db.prisma, { appId: APP.appId, mediaId })).toMatchObject({ status: 'pending', sha256: null });
  });
});
