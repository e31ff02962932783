import { describe, expect } from 'vitest';
import { databaseTest } from '../testing/database-test.js';
import { newMessage } from '../testing/new-message.js';
import { insertMessages } from './insert-messages.js';
import { findMediaArchive, oldestPendingArchives, recordArchived, recordArchiveFailed } from './media-archive.js';

const test = databaseTest('media-archive-rows');

const image = (appId: string, mediaId: string, at: Date, dedupKey = `img-${mediaId}`) =>
  newMessage({ appId, msgType: 'image', msgInfo: { pic: 'http://x', media_id: mediaId }, msgCreateTime: at, dedupKey });

describe('archive rows', () => {
  test('storing an image creates its pending archive in the same statement; a duplicate or a second message with the id adds none', async ({ db }) => {
    const at = new Date('2026-12-04T10:00:00.123Z');
    expect(await insertMessages(db.prisma, [image('wxA', 'first_1', at), image('wxA', 'first_1', at), image('wxA', 'bad id!', at)])).toEqual(['inserted', 'duplicate', 'inserted']);
    expect(await findMediaArchive(db.prisma, { appId: 'wxA', mediaId: 'first_1' })).toMatchObject({ status: 'pending', receivedAt: at, attempts: 0 });
    expect(await findMediaArchive(db.prisma, { appId: 'wxA', mediaId: 'bad id!' })).toMatchObject({ status: 'failed', reason: 'invalid_media_id' });
    await recordArchiveFailed(db.prisma, { appId: 'wxA', mediaId: 'first_1', reason: 'wechat_error', errcode: 40007 });
    // Another message carrying the same media id (a forward) leaves the first outcome.
    await insertMessages(db.prisma, [image('wxA', 'first_1', new Date(), 'another-message')]);
    expect(await findMediaArchive(db.prisma, { appId: 'wxA', mediaId: 'first_1' })).toMatchObject({ status: 'failed', errcode: 40007 });
  });

  test('the first outcome stands, and the oldest pending image per app is what is left', async ({ db }) => {
    const old = new Date(Date.now() - 5 * 3_600_000);
    const young = new Date(Date.now() - 60_000);
    await insertMessages(db.prisma, [image('wxB', 'old_1', old), image('wxB', 'young_1', young), image('wxC', 'other_1', young)]);
    expect((await oldestPendingArchives(db.prisma)).get('wxB')).toEqual(old);
    const blob = { sha256: 'a'.repeat(64), contentType: 'image/png', size: 3, storage: 'postgres' as const };
    expect(await recordArchived(db.prisma, { appId: 'wxB', mediaId: 'old_1', blob, bytes: Buffer.from([1, 2, 3]) })).toMatchObject({ status: 'archived', sha256: blob.sha256 });
    expect(await recordArchiveFailed(db.prisma, { appId: 'wxB', mediaId: 'old_1', reason: 'late' })).toBeUndefined();
    const oldest = await oldestPendingArchives(db.prisma);
    expect(oldest.get('wxB')).toEqual(young);
    expect(oldest.get('wxC')).toEqual(young);
  });
});
