import { freePort } from '@wxcs/testkit';
import { describe, expect } from 'vitest';
import { WechatApiError } from './errors.js';
import { MEDIA_GET_PATH } from './media-download.js';
import { APP, wechatApiTest as test } from './testing/fixtures.js';
import type { Fetch } from './http.js';

const OPENID = 'o-user-1';
const text = (content: string) => ({ touser: OPENID, msgtype: 'text' as const, text: { content } });

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function rejection(work: Promise<unknown>): Promise<WechatApiError> {
  const error = await work.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(WechatApiError);
  return error as WechatApiError;
}

describe('sending', () => {
  test('a message goes out once, in WeChat’s shape, with the current token', async ({ fake, replica }) => {
    const { client } = replica();
    fake.userSentMessage(APP.appId, OPENID);
    await client.sendMessage(APP, text('hello'));
    const link = { touser: OPENID, msgtype: 'link' as const, link: { title: 't', description: 'd', url: 'https://example.com', thumb_url: 'https://example.com/t.png' } };
    await client.sendMessage(APP, link);
    expect(fake.sent(APP.appId)).toMatchObject([
      { touser: OPENID, msgtype: 'text', body: text('hello'), accessToken: fake.currentToken(APP.appId) },
      { msgtype: 'link', body: link },
    ]);
  });

  test('45015 and 45047 are window errors with their rid, and are not retried', async ({ fake, replica }) => {
    const { client } = replica();
    const closed = await rejection(client.sendMessage(APP, text('too late')));
    expect(closed).toMatchObject({ kind: 'window', errcode: 45015 });
    expect(closed.rid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    expect(fake.calls('/cgi-bin/message/custom/send')).toBe(1);

    fake.userEnteredSession(APP.appId, OPENID);
    await client.sendMessage(APP, text('one'));
    await client.sendMessage(APP, text('two'));
    expect(await rejection(client.sendMessage(APP, text('three')))).toMatchObject({ kind: 'window', errcode: 45047 });
    expect(fake.calls('/cgi-bin/message/custom/send')).toBe(4);
    expect(fake.sent(APP.appId)).toHaveLength(2);
  });

  test('other refusals are permanent or quota, and are not retried', async ({ fake, replica }) => {
    const { client } = replica();
    fake.userSentMessage(APP.appId, OPENID);
    fake.failNext('/cgi-bin/message/custom/send', { errcode: 48001, errmsg: 'api unauthorized' });
    expect(await rejection(client.sendMessage(APP, text('x')))).toMatchObject({ kind: 'permanent', errcode: 48001 });
    fake.failNext('/cgi-bin/message/custom/send', { errcode: 45009, errmsg: 'reach max api daily quota limit' });
    expect(await rejection(client.sendMessage(APP, text('x')))).toMatchObject({ kind: 'quota', errcode: 45009 });
    expect(fake.calls('/cgi-bin/message/custom/send')).toBe(2);
  });
});

describe('transient failures', () => {
  test('-1, HTTP 5xx and no answer at all are transient, and are not retried here', async ({ fake, replica }) => {
    const { client } = replica({ timeoutMs: 300 });
    fake.userSentMessage(APP.appId, OPENID);
    fake.failNext('/cgi-bin/message/custom/send', { errcode: -1, errmsg: 'system error' });
    expect(await rejection(client.sendMessage(APP, text('x')))).toMatchObject({ kind: 'transient', errcode: -1, mayHaveArrived: false });
    fake.failNext('/cgi-bin/message/custom/send', { status: 503 });
    expect(await rejection(client.sendMessage(APP, text('x')))).toMatchObject({ kind: 'transient', status: 503, mayHaveArrived: false });

    fake.failNext('/cgi-bin/message/custom/send', { hang: true });
    const started = performance.now();
    const timedOut = await rejection(client.sendMessage(APP, text('x')));
    expect(timedOut).toMatchObject({ kind: 'transient', errmsg: 'no answer within 300 ms', mayHaveArrived: true });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(fake.calls('/cgi-bin/message/custom/send')).toBe(3);
    expect(fake.sent(APP.appId)).toHaveLength(0);
  });

  test('a token fetch that hangs times out as transient', async ({ fake, replica }) => {
    const { client } = replica({ timeoutMs: 300 });
    fake.failNext('/cgi-bin/stable_token', { hang: true });
    expect(await rejection(client.sendMessage(APP, text('x')))).toMatchObject({ kind: 'transient', path: '/cgi-bin/stable_token' });
  });

  test('an unreachable WeChat is a transient network error', async ({ replica, fake }) => {
    // A port nobody listens on (fetch refuses well-known ones like 1 without connecting at all).
    const closedPort = await freePort();
    const refused: Fetch = (input, init) => fetch(String(input).replace(fake.url, `http://127.0.0.1:${closedPort}`), init);
    const { client } = replica({ fetch: refused });
    expect(await rejection(client.sendMessage(APP, text('x')))).toMatchObject({ kind: 'transient', errmsg: 'network error', mayHaveArrived: false });
  });

  test('a token store that fails (Redis away) is a transient error with nothing sent', async ({ fake, replica }) => {
    const { client, redis } = replica();
    fake.userSentMessage(APP.appId, OPENID);
    redis.disconnect();
    expect(await rejection(client.sendMessage(APP, text('x')))).toMatchObject({
      kind: 'transient',
      path: '/cgi-bin/stable_token',
      errmsg: 'token store unavailable',
      mayHaveArrived: false,
    });
    expect(fake.calls('/cgi-bin/message/custom/send')).toBe(0);
  });
});

describe('typing', () => {
  test('Typing and CancelTyping reach WeChat; 45080 is permanent', async ({ fake, replica }) => {
    const { client } = replica();
    expect(await rejection(client.setTyping(APP, OPENID, true))).toMatchObject({ kind: 'permanent', errcode: 45080 });
    fake.userSentMessage(APP.appId, OPENID);
    await client.setTyping(APP, OPENID, true);
    expect(fake.isTyping(APP.appId, OPENID)).toBe(true);
    await client.setTyping(APP, OPENID, false);
    expect(fake.isTyping(APP.appId, OPENID)).toBe(false);
  });
});

describe('media', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

  test('an uploaded image can be sent and downloaded with its type and name', async ({ fake, replica }) => {
    const { client } = replica();
    const uploaded = await client.uploadImage(APP, { bytes: png, filename: 'reply.png', contentType: 'image/png' });
    expect(uploaded.createdAt).toBe(Math.floor(fake.now() / 1000));
    fake.userSentMessage(APP.appId, OPENID);
    await client.sendMessage(APP, { touser: OPENID, msgtype: 'image', image: { media_id: uploaded.mediaId } });
    const downloaded = await client.downloadMedia(APP, uploaded.mediaId);
    expect(downloaded).toMatchObject({ contentType: 'image/png', contentLength: png.length, filename: 'reply.png' });
    expect(new Uint8Array(await readAll(downloaded.body))).toEqual(png);
  });

  test('a JSON error body from media/get is an error, never a file, even with HTTP 200', async ({ fake, replica }) => {
    const { client } = replica();
    expect(await rejection(client.downloadMedia(APP, 'no-such-media'))).toMatchObject({ kind: 'permanent', errcode: 40007 });
    fake.failNext('/cgi-bin/media/get', { errcode: -1, errmsg: 'system error' });
    expect(await rejection(client.downloadMedia(APP, 'no-such-media'))).toMatchObject({ kind: 'transient', errcode: -1 });
  });

  test('a file that is not JSON is handed on whole, its first bytes included, even when it starts with whitespace', async ({ fake, replica }) => {
    const { client } = replica();
    const file = Buffer.concat([Buffer.from('  \n'), Buffer.alloc(100_000, 0x41)]);
    const mediaId = fake.addUserMedia(APP.appId, { bytes: file, contentType: 'image/jpeg' });
    expect(await readAll((await client.downloadMedia(APP, mediaId)).body)).toEqual(file);
  });

  test('a download cut off mid-body fails as transient, after the first bytes were handed on', async ({ fake, replica }) => {
    const { client } = replica();
    const mediaId = fake.addUserMedia(APP.appId, { bytes: Buffer.alloc(200_000, 0xff), contentType: 'image/jpeg' });
    fake.failNext(MEDIA_GET_PATH, { cutAfterBytes: 50_000 });
    const downloaded = await client.downloadMedia(APP, mediaId);
    expect(await rejection(readAll(downloaded.body))).toMatchObject({ kind: 'transient', path: MEDIA_GET_PATH });
  });

  test('a non-image upload is refused with 40004', async ({ replica }) => {
    const { client } = replica();
    expect(await rejection(client.uploadImage(APP, { bytes: png, filename: 'a.txt', contentType: 'text/plain' }))).toMatchObject({
      kind: 'permanent',
      errcode: 40004,
    });
  });
});
