import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { findMediaArchive, insertMessages } from '@wxcs/db';
import { newMessage } from '@wxcs/db/testing';
import { TEST_REDIS_URL } from '@wxcs/queue/testing';
import { jpegOfSize } from '@wxcs/testkit';
import { describe, expect } from 'vitest';
import { MEDIA_GET_PATH, waitForArchiveEnded } from '../testing/media-test.js';
import { OUTBOUND_APPS, SENDING_APP, outboundTest } from '../testing/outbound-test.js';

const run = promisify(execFile);
const WORKER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const test = outboundTest('media-backfill');

/** The CLI exactly as `npm run media:backfill -- ...` runs it (tsx, sources), against this test's prefix and database. */
async function backfill(prefix: string, databaseUrl: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', '--conditions=source', 'src/cli/media-backfill.ts', ...args], {
      cwd: WORKER_DIR,
      env: { PATH: process.env.PATH, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, DATABASE_URL: databaseUrl, WECHAT_APPS: JSON.stringify(OUTBOUND_APPS), LOG_LEVEL: 'silent' },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

describe('npm run media:backfill', () => {
  test('archives the images of rows stored without an archive, younger than 3 days, and nothing twice', async ({ fake, database, queues }) => {
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
    const recent = [fake.addUserMedia(SENDING_APP.appId, { bytes: jpegOfSize(20_000, 'backfill-1'), contentType: 'image/jpeg' }), fake.addUserMedia(SENDING_APP.appId, { bytes: jpegOfSize(30_000, 'backfill-2'), contentType: 'image/jpeg' })];
    const image = (mediaId: string, sentAt: Date) => newMessage({ appId: SENDING_APP.appId, msgType: 'image', msgInfo: { pic: 'http://127.0.0.1:9/x', media_id: mediaId }, msgCreateTime: sentAt });
    await insertMessages(database.prisma, [image(recent[0] ?? '', hoursAgo(70)), image(recent[1] ?? '', hoursAgo(1)), image('tooOldToFetch_1', hoursAgo(80))]);
    // As if stored before the archive existed.
    await database.prisma.$executeRawUnsafe(`DELETE FROM media_archive`);
    const calls = fake.calls(MEDIA_GET_PATH);

    const first = await backfill(queues.prefix, database.url);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('created 2 missing archive(s)');
    expect(first.stdout).toContain('queued 2 pending image(s)');
    for (const mediaId of recent) expect(await waitForArchiveEnded(database.prisma, mediaId)).toMatchObject({ status: 'archived', attempts: 1 });
    expect(await findMediaArchive(database.prisma, { appId: SENDING_APP.appId, mediaId: 'tooOldToFetch_1' })).toBeUndefined();

    const second = await backfill(queues.prefix, database.url, '--app', SENDING_APP.name);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('created 0 missing archive(s)');
    expect(second.stdout).not.toContain('queued');
    expect(second.stdout).toContain('archived 2, pending 0, failed 0');
    expect(fake.calls(MEDIA_GET_PATH) - calls).toBe(2);
  }, 60_000);

  test('refuses an unknown app and a window WeChat no longer serves', async ({ database, queues }) => {
    expect(await backfill(queues.prefix, database.url, '--app', 'nowhere')).toMatchObject({ code: 2, stderr: 'no configured app named nowhere\n' });
    const tooLong = await backfill(queues.prefix, database.url, '--hours', '100');
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toContain('--hours must be a whole number from 1 to 72');
  }, 30_000);
});
