// The inbox at the size the issue names, in Debian's chromium: 1 000
// conversations and a 5 000-message thread load page by page without a long
// task on the main thread. The same demo data gives the screenshots in docs/
// (written there with UPDATE_DOCS_SCREENSHOTS=1, `npm run docs:screenshots`).
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { saveStaffAccount } from './staff/accounts.js';
import { seedDemoConversations, seedScale } from './testing/demo-data.js';
import { buildInbox, launchChromium } from './testing/inbox-browser.js';
import { SHOP, supportTest } from './testing/support.js';

/** What the test reads of a scrolling element (this workspace compiles without the DOM's types). */
interface Scrollable {
  scrollTop: number;
  scrollHeight: number;
  scrollTo(x: number, y: number): void;
}

const STAFF = { name: 'li.lei', password: 'scale passphrase of li.lei' };
const THREAD = 'oScaleLongThread000000000000';
const SCREENSHOTS = process.env.UPDATE_DOCS_SCREENSHOTS === '1' ? fileURLToPath(new URL('../../../docs/', import.meta.url)) : join(tmpdir(), `wxcs-inbox-${process.pid}`);

const test = supportTest('inbox-scale', { webRoot: await buildInbox().then((built) => built.webRoot) }).extend('browser', { scope: 'file' }, async ({ cleanup }) => {
  const browser = await launchChromium();
  cleanup.defer('browser', () => browser.close());
  return browser;
});

/** A picture for the demo user's photos, drawn by the browser: no image file in the repository. */
async function demoPhoto(browser: Awaited<ReturnType<typeof launchChromium>>): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: 240, height: 160 } });
  await page.setContent(
    `<body style="margin:0"><div style="width:240px;height:160px;background:linear-gradient(160deg,#f6d9b8,#c98b5a);display:flex;align-items:center;justify-content:center">
       <div style="width:80px;height:90px;background:#fafafa;border-radius:0 0 18px 18px;box-shadow:6px 8px 0 #0002;position:relative">
         <div style="position:absolute;right:-26px;top:18px;width:22px;height:40px;border:8px solid #fafafa;border-left:none;border-radius:0 20px 20px 0"></div>
         <div style="position:absolute;left:34px;top:10px;width:3px;height:64px;background:#6b4b3a;transform:rotate(14deg)"></div>
       </div></div></body>`,
  );
  const photo = await page.screenshot({ type: 'png' });
  await page.close();
  return photo;
}

async function signedInPage(browser: Awaited<ReturnType<typeof launchChromium>>, origin: string, locale: string): Promise<Page> {
  const context = await browser.newContext({ locale, timezoneId: 'Asia/Shanghai', viewport: { width: 1200, height: 680 } });
  context.setDefaultTimeout(20_000);
  // The longest task the page ran on its main thread, for the no-freeze check.
  await context.addInitScript(`
    window.longestTask = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.longestTask = Math.max(window.longestTask, entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  `);
  const page = await context.newPage();
  await page.goto(`${origin}/signin`);
  await page.locator('input[name="name"]').fill(STAFF.name);
  await page.locator('input[name="password"]').fill(STAFF.password);
  await page.locator('form.signin button[type="submit"]').click();
  await page.waitForURL('**/inbox');
  return page;
}

describe('the inbox with demo data', () => {
  test('shows the demo conversations and a thread (the screenshots in docs/)', async ({ support, browser }) => {
    await saveStaffAccount(support.prisma, { ...STAFF, now: new Date() });
    const [busiest] = await seedDemoConversations(support.prisma, SHOP.appId, await demoPhoto(browser));
    await mkdir(SCREENSHOTS, { recursive: true });
    for (const [locale, suffix] of [['en-US', ''], ['zh-CN', '.zh-CN']] as const) {
      const page = await signedInPage(browser, support.origin, locale);
      await page.locator('li.conversation').nth(5).waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, `inbox-list${suffix}.png`) });
      await page.locator(`li.conversation[data-openid="${busiest}"]`).click();
      await page.locator('li.message[data-type="miniprogrampage"]').waitFor();
      await page.locator('li.event').first().waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, `inbox-thread${suffix}.png`) });
      await page.context().close();
    }
  }, 60_000);

  test('lists 1 000 conversations and opens a 5 000-message thread page by page, without a long task', async ({ support, browser }) => {
    await seedScale(support.prisma, SHOP.appId, { conversations: 1_000, threadLength: 5_000, threadOpenid: THREAD });
    const page = await signedInPage(browser, support.origin, 'en-US');
    const rows = page.locator('li.conversation');
    await rows.nth(99).waitFor();
    // Scrolling to the end loads the rest a page at a time.
    const total = await support.prisma.conversationWindow.count({ where: { appId: SHOP.appId } });
    expect(total).toBeGreaterThan(1_000);
    await expect
      .poll(
        async () => {
          await page.locator('.list-scroll').evaluate((element: Scrollable) => element.scrollTo(0, element.scrollHeight));
          return rows.count();
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe(total);

    await page.locator('input.search').fill(THREAD.slice(0, 12));
    await expect.poll(() => rows.count()).toBe(1);
    await rows.first().click();
    await page.locator('.thread-scroll').getByText('message 4999 of a long thread').waitFor();
    expect(await page.locator('.thread-scroll li.message').count()).toBe(50);
    // Reading back: each scroll to the top brings the previous page, and what was read stays in view.
    for (let pages = 2; pages <= 4; pages += 1) {
      await page.locator('.thread-scroll').evaluate((element: Scrollable) => element.scrollTo(0, 0));
      await expect.poll(() => page.locator('.thread-scroll li.message').count()).toBe(pages * 50);
    }
    expect(await page.locator('.thread-scroll').evaluate((element: Scrollable) => element.scrollTop)).toBeGreaterThan(0);
    const longestTask = await page.evaluate('window.longestTask');
    expect(longestTask).toBeLessThan(500);
    await page.context().close();
  }, 120_000);
});
