import { createHash } from 'node:crypto';
import { recordArchived, recordArchiveFailed } from '@wxcs/db';
import { jpegOfSize } from '@wxcs/testkit';
import { describe, expect } from 'vitest';
import { ago, seedUserImage, seedUserText } from '../testing/seed.js';
import { SHOP, TEST_TOKENS, supportTest } from '../testing/support.js';

const test = supportTest('archived-media');
const OPENID = 'o-archived-media-user';

describe('GET /api/v1/apps/{app}/media/{mediaId}', () => {
  test('serves an archived image with its type, its hash as ETag and a private year-long cache; the thread says it is archived', async ({ support }) => {
    const bytes = jpegOfSize(300_000, 'support-serves');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await seedUserText(support.prisma, { appId: SHOP.appId, openid: OPENID, text: 'my order arrived broken', at: ago(60_000) });
    await seedUserImage(support.prisma, { appId: SHOP.appId, openid: OPENID, mediaId: 'servedMedia_1', at: ago(30_000) });

    const pending = await support.call(`/api/v1/apps/shop/media/servedMedia_1`);
    expect(pending.status).toBe(404);
    expect(pending.json).toMatchObject({ error: 'media_not_archived', status: 'pending' });
    const before = await support.call(`/api/v1/apps/shop/conversations/${OPENID}/messages`);
    expect((before.json.messages as { archive: unknown }[]).map((message) => message.archive)).toEqual([null, expect.objectContaining({ status: 'pending' })]);

    await recordArchived(support.prisma, {
      appId: SHOP.appId,
      mediaId: 'servedMedia_1',
      blob: { sha256, contentType: 'image/jpeg', size: bytes.length, storage: 'postgres' },
      bytes,
    });
    const served = await fetch(`${support.origin}/api/v1/apps/shop/media/servedMedia_1`, { headers: { authorization: 'Bearer not-a-token-of-ours' } });
    expect(served.status).toBe(401);
    const image = await support.call(`/api/v1/apps/shop/media/servedMedia_1`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    expect(image.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(image.headers.get('etag')).toBe(`"${sha256}"`);
    const raw = await fetch(`${support.origin}/api/v1/apps/shop/media/servedMedia_1`, { headers: { authorization: `Bearer ${TEST_TOKENS[0].token}` } });
    expect(Buffer.from(await raw.arrayBuffer()).equals(bytes)).toBe(true);
    const again = await support.call(`/api/v1/apps/shop/media/servedMedia_1`, { headers: { 'if-none-match': `"${sha256}"` } });
    expect(again.status).toBe(304);

    const after = await support.call(`/api/v1/apps/shop/conversations/${OPENID}/messages`);
    expect(after.json.messages[1].archive).toEqual({ status: 'archived', errcode: null, reason: null, contentType: 'image/jpeg', size: bytes.length, sha256 });
  });

  test('a failed archive says why; an unknown id or app is 404', async ({ support }) => {
    await seedUserImage(support.prisma, { appId: SHOP.appId, openid: OPENID, mediaId: 'expiredMedia_2', at: ago(10_000) });
    await recordArchiveFailed(support.prisma, { appId: SHOP.appId, mediaId: 'expiredMedia_2', reason: 'wechat_error', errcode: 40007 });
    const failed = await support.call(`/api/v1/apps/shop/media/expiredMedia_2`);
    expect(failed.status).toBe(404);
    expect(failed.json).toMatchObject({ error: 'media_not_archived', status: 'failed', reason: 'wechat_error', errcode: 40007 });
    expect((await support.call(`/api/v1/apps/shop/media/neverSeen_3`)).json).toMatchObject({ error: 'not_found' });
    expect((await support.call(`/api/v1/apps/shop/media/not%20an%20id`)).status).toBe(404);
    expect((await support.call(`/api/v1/apps/nowhere/media/expiredMedia_2`)).status).toBe(404);
  });
});

