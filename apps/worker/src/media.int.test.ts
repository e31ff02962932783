import { createHash } from 'node:crypto';
import { findMediaArchive } from '@wxcs/db';
import { mediaQueue, openQueue } from '@wxcs/queue';
import { jpegOfSize, pngImage, SMALL_JPEG, waitFor } from '@wxcs/testkit';
import { appCredentials } from '@wxcs/wechat';
import { sampleMessage } from '@wxcs/wechat/testing';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { enqueue, inboundCallback } from './testing/callbacks.js';
import { archivedBytes, imageMessage, MEDIA_GET_PATH, startPicUrlTrap, waitForArchiveEnded } from './testing/media-test.js';
import { INBOUND_ONLY_APP, SENDING_APP, outboundTest } from './testing/outbound-test.js';

const test = outboundTest('media-archive');
const APP_ID = SENDING_APP.appId;
let trap: Awaited<ReturnType<typeof startPicUrlTrap>>;

beforeAll(async () => {
  trap = await startPicUrlTrap();
});
afterAll(() => trap.close());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('archiving the images users send', () => {
  test('an image message is archived once, byte for byte, through media/get and never through its PicUrl', async ({ fake, inbound, database, worker }) => {
    const bytes = jpegOfSize(1_500_000, 'worker-exact');
    const mediaId = fake.addUserMedia(APP_ID, { bytes, contentType: 'image/jpeg' });
    const message = imageMessage(mediaId, trap.url);
    const calls = fake.calls(MEDIA_GET_PATH);
    // The same message delivered twice (a WeChat retry): one row, one archive, one download.
    await enqueue(inbound, [inboundCallback({ message, app: SENDING_APP.name }), inboundCallback({ message, app: SENDING_APP.name })]);

    const archive = await waitForArchiveEnded(database.prisma, mediaId);
    expect(archive).toMatchObject({ status: 'archived', sha256: sha256(bytes), attempts: 1 });
    expect((await archivedBytes(database.prisma, mediaId)).equals(bytes)).toBe(true);
    await waitFor('the media job to complete', async () => (await worker.metric('wxcs_worker_media_total', { outcome: 'archived' })) >= 1);
    expect(fake.calls(MEDIA_GET_PATH) - calls).toBe(1);
    expect(trap.hits()).toBe(0);
  });

  test("a card's thumbnail is archived; identical bytes in two messages are stored once", async ({ fake, inbound, database }) => {
    const bytes = pngImage(32, 32, 'worker-card');
    const thumb = fake.addUserMedia(APP_ID, { bytes, contentType: 'image/png' });
    const again = fake.addUserMedia(APP_ID, { bytes, contentType: 'image/png' });
    const card = { ...sampleMessage('miniprogrampage'), ThumbMediaId: thumb, ThumbUrl: trap.url, MsgId: '7000000000000000001' };
    await enqueue(inbound, [inboundCallback({ message: card, app: SENDING_APP.name }), inboundCallback({ message: imageMessage(again, trap.url), app: SENDING_APP.name })]);
    const [first, second] = [await waitForArchiveEnded(database.prisma, thumb), await waitForArchiveEnded(database.prisma, again)];
    expect(first).toMatchObject({ status: 'archived', sha256: sha256(bytes) });
    expect(second.sha256).toBe(first.sha256);
    const [row] = await database.prisma.$queryRawUnsafe<{ count: number }[]>(`SELECT count(*)::integer AS count FROM media_blob WHERE sha256 = $1`, first.sha256);
    expect(row?.count).toBe(1);
    expect(trap.hits()).toBe(0);
  });

  test('an expired id (40007) and a file that is not an image end failed with the reason; a JSON answer is never stored', async ({ fake, inbound, database, worker }) => {
    const expired = fake.addUserMedia(APP_ID, { bytes: SMALL_JPEG, contentType: 'image/jpeg' });
    const page = fake.addUserMedia(APP_ID, { bytes: Buffer.from('<!doctype html><p>a proxy page</p>'), contentType: 'image/jpeg' });
    fake.failNext(MEDIA_GET_PATH, { errcode: 40007, errmsg: 'invalid media_id rid: 6750e1a2-1b2c3d4e-5f6a7b8c' });
    await enqueue(inbound, [inboundCallback({ message: imageMessage(expired, trap.url), app: SENDING_APP.name })]);
    expect(await waitForArchiveEnded(database.prisma, expired)).toMatchObject({
      status: 'failed',
      reason: 'wechat_error',
      errcode: 40007,
      rid: '6750e1a2-1b2c3d4e-5f6a7b8c',
      sha256: null,
    });
    await enqueue(inbound, [inboundCallback({ message: imageMessage(page, trap.url), app: SENDING_APP.name })]);
    expect(await waitForArchiveEnded(database.prisma, page)).toMatchObject({ status: 'failed', reason: 'not_an_image', errcode: null, sha256: null });
    const [row] = await database.prisma.$queryRawUnsafe<{ count: number }[]>(
      `SELECT count(*)::integer AS count FROM media_blob WHERE get_byte(bytes, 0) IN (123, 60)`, // "{" or "<"
    );
    expect(row?.count).toBe(0);
    expect(await worker.metric('wxcs_worker_media_total', { outcome: 'failed', errcode: '40007' })).toBeGreaterThanOrEqual(1);
    expect(await worker.metric('wxcs_worker_media_total', { outcome: 'failed', reason: 'not_an_image' })).toBeGreaterThanOrEqual(1);
  });

  test('a busy WeChat and a cut download are retried; a refused token is refreshed once; each image is stored once', async ({ fake, inbound, database }) => {
    const busy = fake.addUserMedia(APP_ID, { bytes: jpegOfSize(200_000, 'busy'), contentType: 'image/jpeg' });
    fake.failNext(MEDIA_GET_PATH, { errcode: -1, errmsg: 'system error' });
    fake.failNext(MEDIA_GET_PATH, { cutAfterBytes: 50_000 });
    await enqueue(inbound, [inboundCallback({ message: imageMessage(busy, trap.url), app: SENDING_APP.name })]);
    expect(await waitForArchiveEnded(database.prisma, busy)).toMatchObject({ status: 'archived', attempts: 3 });

    const fetches = fake.tokenFetches(APP_ID).forced;
    fake.invalidateToken(APP_ID);
    const renewed = fake.addUserMedia(APP_ID, { bytes: jpegOfSize(10_000, 'renewed'), contentType: 'image/jpeg' });
    await enqueue(inbound, [inboundCallback({ message: imageMessage(renewed, trap.url), app: SENDING_APP.name })]);
    expect(await waitForArchiveEnded(database.prisma, renewed)).toMatchObject({ status: 'archived', attempts: 1 });
    expect(fake.tokenFetches(APP_ID).forced).toBe(fetches + 1);
  });

  test("an inbound-only app's images end failed app_cannot_fetch without a call to WeChat", async ({ fake, inbound, database }) => {
    const calls = fake.calls(MEDIA_GET_PATH);
    const message = imageMessage('inboundOnlyMedia_0123', trap.url);
    await enqueue(inbound, [inboundCallback({ message, app: INBOUND_ONLY_APP.name, signWith: appCredentials(INBOUND_ONLY_APP) })]);
    expect(await waitForArchiveEnded(database.prisma, 'inboundOnlyMedia_0123', 20_000, INBOUND_ONLY_APP.appId)).toMatchObject({ status: 'failed', reason: 'app_cannot_fetch' });
    expect(fake.calls(MEDIA_GET_PATH)).toBe(calls);
  });

  test('a replayed or repeated archive job fetches nothing more', async ({ fake, inbound, database, redis, queues }) => {
    const mediaId = fake.addUserMedia(APP_ID, { bytes: jpegOfSize(5_000, 'replayed'), contentType: 'image/jpeg' });
    await enqueue(inbound, [inboundCallback({ message: imageMessage(mediaId, trap.url), app: SENDING_APP.name })]);
    await waitForArchiveEnded(database.prisma, mediaId);
    const calls = fake.calls(MEDIA_GET_PATH);
    const media = openQueue(mediaQueue, { connection: redis, prefix: queues.prefix });
    const job = await media.add(mediaQueue.jobName, { v: 1, app: SENDING_APP.name, mediaId }, { jobId: 'replay-of-an-archive', attempts: 1 });
    await waitFor('the replayed job to complete', async () => (await media.getJobState(job.id ?? '')) === 'completed');
    expect((await media.getJob(job.id ?? ''))?.returnvalue).toEqual({ outcome: 'already-ended' });
    expect(fake.calls(MEDIA_GET_PATH)).toBe(calls);
    expect(await findMediaArchive(database.prisma, { appId: APP_ID, mediaId })).toMatchObject({ status: 'archived', attempts: 1 });
    await media.close();
  });
});
