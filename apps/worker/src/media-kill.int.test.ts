import { createHash } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { readArchivedMedia } from '@wxcs/db';
import { createS3Client, createS3Store } from '@wxcs/media';
import { throwawayS3Config, throwawayS3Env } from '@wxcs/media/testing';
import { jpegOfSize, readMetric, startThrowawayS3, waitFor, type AppProcess } from '@wxcs/testkit';
import { describe, expect } from 'vitest';
import { enqueue, inboundCallback } from './testing/callbacks.js';
import { imageMessage, MEDIA_GET_PATH, startPicUrlTrap, waitForArchiveEnded } from './testing/media-test.js';
import { OUTBOUND_APPS, SENDING_APP, outboundEnv, startFakeWechat } from './testing/outbound-test.js';
import { spawnWorker } from './testing/worker-process.js';
import { integrationTest } from './testing/worker-test.js';

const test = integrationTest('media-kill');

describe('a worker SIGKILLed mid-download', () => {
  test('loses nothing: the next worker archives the image once, byte for byte, into S3', async ({ database, inbound, queues, onTestFinished }) => {
    const fake = await startFakeWechat();
    onTestFinished(() => fake.close());
    const s3 = await startThrowawayS3({ bucket: 'wxcs-media-kill' });
    onTestFinished(() => s3.stop());
    const trap = await startPicUrlTrap();
    onTestFinished(() => trap.close());
    const spawned: AppProcess[] = [];
    onTestFinished(async () => {
      for (const worker of spawned) await worker.kill();
    });
    // WeChat's timeout is long: the kill, not the worker, ends the first download.
    const start = async () => {
      const worker = await spawnWorker({ apps: OUTBOUND_APPS, env: { ...outboundEnv(fake, 30_000), ...throwawayS3Env(s3) }, prefix: queues.prefix, databaseUrl: database.url });
      spawned.push(worker);
      return worker;
    };

    const bytes = jpegOfSize(2 * 1024 * 1024, 'killed-mid-download');
    const mediaId = fake.addUserMedia(SENDING_APP.appId, { bytes, contentType: 'image/jpeg' });
    fake.failNext(MEDIA_GET_PATH, { stallAfterBytes: 1024 * 1024 });
    const doomed = await start();
    await enqueue(inbound, [inboundCallback({ message: imageMessage(mediaId, trap.url), app: SENDING_APP.name })]);
    await waitFor('the download to start', () => fake.calls(MEDIA_GET_PATH) === 1, { everyMs: 5 });
    // While it is stuck, the oldest pending image is visible to operators.
    const age = await waitFor('the pending age to be exported', async () => {
      const value = readMetric(await doomed.metrics(), 'wxcs_worker_media_oldest_pending_age_seconds', { app: SENDING_APP.name });
      return value > 0 ? value : undefined;
    });
    expect(age).toBeGreaterThan(0);
    expect((await doomed.kill()).signal).toBe('SIGKILL');
    expect((await readArchivedMedia(database.prisma, { appId: SENDING_APP.appId, mediaId }))?.archive.status).toBe('pending');

    await start();
    const archive = await waitForArchiveEnded(database.prisma, mediaId, 45_000);
    const digest = createHash('sha256').update(bytes).digest('hex');
    expect(archive).toMatchObject({ status: 'archived', sha256: digest });
    expect(fake.calls(MEDIA_GET_PATH)).toBe(2);
    expect(trap.hits()).toBe(0);

    const client = createS3Client(throwawayS3Config(s3));
    onTestFinished(() => client.destroy());
    // One object, under its hash: the killed attempt's scratch upload was overwritten and removed.
    const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
    expect((listed.Contents ?? []).map((object) => object.Key)).toEqual([`sha256/${digest}`]);
    const found = await readArchivedMedia(database.prisma, { appId: SENDING_APP.appId, mediaId });
    if (found?.blob === undefined) throw new Error('no blob');
    const chunks: Buffer[] = [];
    for await (const chunk of await createS3Store({ client, bucket: s3.bucket, prefix: '' }).open(found.blob, null)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  }, 90_000);
});
