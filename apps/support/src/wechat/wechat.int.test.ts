import { MEDIA_GET_PATH, TYPING_PATH } from '@wxcs/wechat-api';
import { describe, expect } from 'vitest';
import { CLINIC, SHOP, supportTest } from '../testing/support.js';

const test = supportTest('wechat');

const typingPath = (openid: string, app: string = SHOP.name) => `/api/v1/apps/${app}/conversations/${openid}/typing`;
const mediaPath = (app: string = SHOP.name) => `/api/v1/apps/${app}/media`;

// A 1×1 PNG.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

function form(bytes: Uint8Array, type: string, field = 'media', filename = 'photo.png'): FormData {
  const body = new FormData();
  body.append(field, new Blob([bytes], { type }), filename);
  return body;
}

describe('POST typing', () => {
  test("turns WeChat's typing indicator on and off for the user", async ({ support }) => {
    support.fake.userSentMessage(SHOP.appId, 'o_typing');
    const on = await support.call(typingPath('o_typing'), { json: { typing: true } });
    expect(on.status, on.text).toBe(200);
    expect(on.json).toEqual({ typing: true });
    expect(support.fake.isTyping(SHOP.appId, 'o_typing')).toBe(true);
    const off = await support.call(typingPath('o_typing'), { json: { typing: false } });
    expect(off.status).toBe(200);
    expect(support.fake.isTyping(SHOP.appId, 'o_typing')).toBe(false);
  });

  test("answers WeChat's refusal as 502 with its errcode, errmsg and rid", async ({ support }) => {
    // No message exchanged in the last 30 s: WeChat refuses with 45080.
    const res = await support.call(typingPath('o_quiet'), { json: { typing: true } });
    expect(res.status).toBe(502);
    expect(res.json).toEqual({
      error: 'wechat_refused',
      errcode: 45080,
      errmsg: expect.stringContaining('has not sent message to user in 30 seconds'),
      rid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/),
    });
  });

  test('answers WeChat down as 503, worth retrying', async ({ support }) => {
    support.fake.userSentMessage(SHOP.appId, 'o_typing_down');
    support.fake.failNext(TYPING_PATH, { status: 502 });
    const res = await support.call(typingPath('o_typing_down'), { json: { typing: true } });
    expect(res.status).toBe(503);
    expect(res.json).toEqual({ error: 'wechat_unavailable', errcode: null, errmsg: 'HTTP 502' });
  });

  test('refuses a malformed body, an inbound-only app and an unknown one before calling WeChat', async ({ support }) => {
    const calls = support.fake.calls(TYPING_PATH);
    for (const json of [{}, { typing: 'yes' }, { typing: true, touser: 'o_x' }]) {
      const res = await support.call(typingPath('o_x'), { json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.json).toMatchObject({ error: 'invalid_body', field: 'typing' });
    }
    expect((await support.call(typingPath('o_x', CLINIC.name), { json: { typing: true } })).json).toEqual({ error: 'app_inbound_only' });
    expect((await support.call(typingPath('o_x', 'nosuchapp'), { json: { typing: true } })).status).toBe(404);
    expect(support.fake.calls(TYPING_PATH)).toBe(calls);
  });
});

describe('POST media', () => {
  test("uploads an image to WeChat and answers WeChat's media_id", async ({ support }) => {
    const res = await support.call(mediaPath(), { body: form(PNG, 'image/png') });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ media_id: expect.any(String), created_at: expect.any(Number) });
    expect(Math.abs(res.json.created_at * 1000 - Date.now())).toBeLessThan(60_000);
    // The fake holds those very bytes under that id.
    const token = support.fake.currentToken(SHOP.appId) ?? '';
    const stored = await fetch(`${support.fake.url}${MEDIA_GET_PATH}?access_token=${token}&media_id=${encodeURIComponent(String(res.json.media_id))}`);
    expect(stored.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await stored.arrayBuffer()).equals(PNG)).toBe(true);
  });

  test('refuses what is not one PNG, JPEG or GIF image in the field "media", without calling WeChat', async ({ support }) => {
    const uploads = support.fake.calls('/cgi-bin/media/upload');
    const pdf = await support.call(mediaPath(), { body: form(Buffer.from('%PDF-1.7 not an image'), 'image/png') });
    expect(pdf.status).toBe(415);
    expect(pdf.json).toMatchObject({ error: 'unsupported_media_type' });
    const svg = await support.call(mediaPath(), { body: form(Buffer.from('<svg/>'), 'image/svg+xml', 'media', 'x.svg') });
    expect(svg.status).toBe(415);
    const otherField = await support.call(mediaPath(), { body: form(PNG, 'image/png', 'file') });
    expect(otherField.status).toBe(400);
    expect(otherField.json).toMatchObject({ error: 'invalid_body', field: 'media' });
    const twoFiles = form(PNG, 'image/png');
    twoFiles.append('media', new Blob([PNG], { type: 'image/png' }), 'b.png');
    expect((await support.call(mediaPath(), { body: twoFiles })).status).toBe(400);
    const json = await support.call(mediaPath(), { json: { media: 'x' } });
    expect(json.status).toBe(415);
    const none = new FormData();
    none.append('note', 'no file');
    expect((await support.call(mediaPath(), { body: none })).status).toBe(400);
    expect(support.fake.calls('/cgi-bin/media/upload')).toBe(uploads);
  });

  test('refuses an image above 10 MB with 413', async ({ support }) => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1);
    PNG.copy(big);
    const res = await support.call(mediaPath(), { body: form(big, 'image/png') });
    expect(res.status).toBe(413);
    expect(res.json).toEqual({ error: 'file_too_large' });
  });

  test('answers 409 for an inbound-only app', async ({ support }) => {
    const res = await support.call(mediaPath(CLINIC.name), { body: form(PNG, 'image/png') });
    expect(res.status).toBe(409);
    expect(res.json).toEqual({ error: 'app_inbound_only' });
  });

  test('fetched one token for all of the calls above', ({ support }) => {
    expect(support.fake.tokenFetches(SHOP.appId)).toEqual({ normal: 1, forced: 0 });
  });
});
