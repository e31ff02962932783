// A real browser drives the inbox against the real worker: a staff member
// signs in, sees a user's message arrive live, opens the thread, answers,
// watches the reply go `sent` on the fake WeChat API, finds sending refused
// once the window is spent, and signs out. Debian's chromium, nothing downloaded.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pngImage, waitFor } from '@wxcs/testkit';
import type { BrowserContext } from 'playwright-core';
import { describe, expect } from 'vitest';
import { saveStaffAccount } from './staff/accounts.js';
import { buildInbox, deliverCallback, launchChromium, startInboxWorker } from './testing/inbox-browser.js';
import { SHOP, supportTest, textReply } from './testing/support.js';

/** Requests the pages made to other origins. */
const externalRequests: string[] = [];
const STAFF = { name: 'li.lei', password: 'e2e passphrase of li.lei' };
const OPENID = 'oE2eUser0000000000000000001';
const ONE_PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const test = supportTest('inbox-e2e', { webRoot: await buildInbox().then((built) => built.webRoot), changeFeedIntervalMs: 250 })
  .extend('worker', { scope: 'file' }, async ({ cleanup, support }) => {
    const worker = await startInboxWorker(support, support.databaseUrl);
    cleanup.defer('worker', () => worker.stop());
    return worker;
  })
  .extend('context', { scope: 'file' }, async ({ cleanup }) => {
    const browser = await launchChromium();
    cleanup.defer('browser', () => browser.close());
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    // Nothing but the inbox's own origin: a request elsewhere (a CDN, a font) is recorded and fails the test.
    await context.route(/^https?:\/\/(?!(127\.0\.0\.1|localhost)[:/])/, (route) => {
      externalRequests.push(route.request().url());
      return route.abort();
    });
    return context;
  });

async function signIn(context: BrowserContext, origin: string) {
  const page = await context.newPage();
  await page.goto(`${origin}/inbox`);
  await page.waitForURL('**/signin');
  await page.getByLabel('Name').fill(STAFF.name);
  await page.getByLabel('Password').fill(STAFF.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/inbox');
  return page;
}

describe('the inbox in a browser', () => {
  test('signs in, sees a message arrive live, answers it, sees it sent, is refused once the window is spent, signs out', async ({ support, worker, context }) => {
    await saveStaffAccount(support.prisma, { ...STAFF, now: new Date() });
    const page = await signIn(context, support.origin);
    await page.locator('.live-state[data-live="true"]').waitFor();
    expect(await page.locator('li.conversation').count()).toBe(0);

    // The user writes: a text and an image, through the worker as WeChat's callbacks.
    await deliverCallback(support, OPENID, { MsgType: 'text', Content: 'Is the blue one in stock?', MsgId: '7100000000000000001' });
    const photo = support.fake.addUserMedia(SHOP.appId, { bytes: pngImage(64, 48, 'inbox-e2e'), contentType: 'image/png' });
    await deliverCallback(support, OPENID, { MsgType: 'image', PicUrl: 'https://mmbiz.qpic.cn/e2e', MediaId: photo, MsgId: '7100000000000000002' });
    const row = page.locator(`li.conversation[data-openid="${OPENID}"]`);
    await expect.poll(() => row.locator('.unanswered-count').textContent(), { timeout: 20_000 }).toBe('2 unanswered');
    expect(await row.locator('.window').textContent()).toMatch(/^47 h 5\d min left · 5 replies left$/);

    await row.click();
    const thread = page.locator('.thread-scroll');
    await thread.getByText('Is the blue one in stock?').waitFor();
    // The image, from our archive (the worker stored it from WeChat's media/get), loaded with the session cookie.
    const image = thread.locator('li.inbound[data-type="image"] img.media');
    await image.waitFor({ timeout: 20_000 });
    await expect.poll(() => image.evaluate((element: { naturalWidth: number; naturalHeight: number }) => [element.naturalWidth, element.naturalHeight])).toEqual([64, 48]);

    await page.getByPlaceholder('Type a reply…').fill('Yes, 3 left in blue.');
    // Typing shows on the user's side (throttled: one call per 10 s of typing).
    await expect.poll(() => support.fake.isTyping(SHOP.appId, OPENID)).toBe(true);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const reply = thread.locator('li.outbound', { hasText: 'Yes, 3 left in blue.' });
    await reply.locator('.status[data-status="sent"]').waitFor({ timeout: 20_000 });
    expect(support.fake.sent(SHOP.appId).map((sent) => sent.body)).toContainEqual(expect.objectContaining({ touser: OPENID, msgtype: 'text', text: { content: 'Yes, 3 left in blue.' } }));
    expect(await reply.locator('.sent-by').textContent()).toBe('by staff:li.lei');
    await expect.poll(() => row.locator('.unanswered-count').count()).toBe(0);

    // An image reply: uploaded to WeChat through the API, then sent.
    await page.locator('input.image-input').setInputFiles({ name: 'answer.png', mimeType: 'image/png', buffer: ONE_PIXEL_PNG });
    await thread.locator('li.outbound[data-type="image"] .status[data-status="sent"]').waitFor({ timeout: 20_000 });
    expect(support.fake.sent(SHOP.appId).at(-1)?.body).toMatchObject({ touser: OPENID, msgtype: 'image', image: { media_id: expect.any(String) } });

    // Another integration spends the other three replies: the page learns it live and refuses to send.
    for (let n = 1; n <= 3; n += 1) {
      expect((await support.call(`/api/v1/apps/${SHOP.name}/conversations/${OPENID}/replies`, { json: textReply(`crm ${n}`) })).status).toBe(202);
    }
    await page.locator('.refusal', { hasText: 'No replies left' }).waitFor();
    expect(await page.getByRole('button', { name: 'Send', exact: true }).isDisabled()).toBe(true);
    expect(await page.getByPlaceholder('Type a reply…').isDisabled()).toBe(true);
    expect(await page.locator('.window-line').textContent()).toBe('Window closed');
    await waitFor('the three replies sent', async () => support.fake.sent(SHOP.appId).length >= 5, { timeoutMs: 20_000 });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');
    await page.goto(`${support.origin}/inbox`);
    await page.waitForURL('**/signin');
    expect(worker.isRunning()).toBe(true);
    expect(externalRequests).toEqual([]);
    await page.close();
  }, 120_000);

  test('a page without a session redirects to sign-in, and a cross-site POST is refused', async ({ support, context }) => {
    await saveStaffAccount(support.prisma, { ...STAFF, now: new Date() });
    const anonymous = await context.newPage();
    await anonymous.goto(`${support.origin}/inbox?app=shop`);
    await anonymous.waitForURL('**/signin');
    await anonymous.close();

    const page = await signIn(context, support.origin);
    const before = await support.prisma.customerReply.count();
    // localhost is another site than 127.0.0.1: a form there posts a reply and a sign-in to the inbox.
    for (const path of [`/api/v1/apps/${SHOP.name}/conversations/${OPENID}/replies`, '/auth/signin']) {
      const attacker = await startAttackerSite(`${support.origin}${path}`);
      try {
        const refused = page.waitForResponse((res) => res.url() === `${support.origin}${path}`);
        await page.goto(attacker.url);
        const status = (await refused).status();
        // Without the cookie (SameSite=Strict) it is 401; with it, 403: never done either way.
        expect([401, 403], path).toContain(status);
      } finally {
        attacker.server.close();
      }
    }
    expect(await support.prisma.customerReply.count()).toBe(before);
    // The session is still the staff member's own, and still works.
    await page.goto(`${support.origin}/inbox`);
    await page.locator('.staff', { hasText: STAFF.name }).waitFor();
    await page.close();
  });
});

/** A page on another site that makes the staff member's browser post a form to `target`. */
async function startAttackerSite(target: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<form id="f" method="post" action="${target}" enctype="text/plain"><input name='{"msgtype":"text","text":{"content":"forged"},"x":"' value='"}'></form><script>document.getElementById('f').submit()</script>`);
  }).listen(0, 'localhost');
  await once(server, 'listening');
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}/` };
}
