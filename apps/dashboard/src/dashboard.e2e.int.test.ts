// A real browser drives the real dashboard against the real worker: an
// operator logs in, finds a dead letter, reads why it failed, replays it, and
// the message lands in customer_message. Debian's chromium, no downloaded browser.
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@wxcs/db/testing';
import { addDeadLetter, deadLetterQueue, inboundQueue, listDeadLetters, type InboundCallback } from '@wxcs/queue';
import { TEST_REDIS_URL } from '@wxcs/queue/testing';
import { freePort, startAppProcess, type AppProcess } from '@wxcs/testkit';
import { SAMPLE_APP, sampleCredentials, simulateCallback } from '@wxcs/wechat/testing';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { TEST_CREDENTIALS, dashboardTest, deadLetterOf, plainCallback } from './testing/dashboard.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// Refreshing the picture in docs/ is opt-in so a test run leaves the tree clean.
const SCREENSHOT =
  process.env.UPDATE_DOCS_SCREENSHOT === '1'
    ? fileURLToPath(new URL('../../../docs/dashboard.png', import.meta.url))
    : join(tmpdir(), `wxcs-dashboard-e2e-${process.pid}.png`);
/** The worker's name for the mini program whose credentials sign the callback. */
const APP_NAME = 'default';
const TEXT_MSG_ID = '22223624286040849';

/** A text message signed and encrypted as WeChat sends it (JSON, safe mode), as the receiver would queue it. */
function signedTextCallback(): InboundCallback {
  const signed = simulateCallback({
    app: sampleCredentials(),
    message: 'text',
    format: 'json',
    mode: 'safe',
    timestamp: String(Math.floor(Date.now() / 1000)),
  });
  return {
    v: 1,
    callbackId: 'e2e-text-1',
    app: APP_NAME,
    receivedAt: new Date().toISOString(),
    body: signed.body,
    contentType: signed.contentType,
    query: signed.query,
  };
}

async function waitFor<T>(worker: AppProcess, what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nworker output:\n${worker.lines().join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Requests the pages made to other origins. */
const externalRequests: string[] = [];

async function operatorPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  // The dashboard asks nothing of another origin (no CDN, no Google Fonts): such a request is recorded and fails the test.
  await page.route(/^https?:\/\/(?!(127\.0\.0\.1|localhost)[:/])/, (route) => {
    externalRequests.push(route.request().url());
    return route.abort();
  });
  return page;
}

const test = dashboardTest('dashboard-e2e')
  .extend('db', { scope: 'file' }, async ({ cleanup }) => {
    const db = await createTestDatabase('dashboard-e2e');
    cleanup.defer('database', () => db.drop());
    return db;
  })
  // The real worker app, run from source as `npm start` runs it, configured only through its environment.
  .extend('worker', { scope: 'file' }, async ({ cleanup, dashboard, db }) => {
    const worker = startAppProcess({
      app: 'worker',
      port: await freePort(),
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: dashboard.prefix,
        DATABASE_URL: db.url,
        WECHAT_APP_NAME: APP_NAME,
        WECHAT_TOKEN: SAMPLE_APP.token,
        WECHAT_ENCODING_AES_KEY: SAMPLE_APP.encodingAesKey,
        WECHAT_APP_ID: SAMPLE_APP.appId,
      },
    });
    cleanup.defer('worker', () => worker.stop());
    await worker.waitReady();
    return worker;
  })
  .extend('context', { scope: 'file' }, async ({ cleanup }) => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    cleanup.defer('browser', () => browser.close());
    const context = await browser.newContext({
      httpCredentials: { username: TEST_CREDENTIALS.user, password: TEST_CREDENTIALS.password },
      viewport: { width: 1400, height: 900 },
    });
    // A missing element should fail with its locator, well before the test's own timeout.
    context.setDefaultTimeout(10_000);
    return context;
  })
  .extend('storedMessages', ({ db }) => () => db.prisma.customerMessage.findMany({ where: { appId: SAMPLE_APP.appId } }));

describe('dashboard in a browser', () => {
  // The first test also starts the worker process and the browser (file-wide fixtures).
  test('logs in, shows both queues, opens a dead letter, replays it into customer_message', async ({ dashboard, worker, context, storedMessages }) => {
    const callback = signedTextCallback();
    const dlId = await addDeadLetter(
      dashboard.deadLetters,
      deadLetterOf(callback, { reason: 'Database unavailable: retries exhausted', code: 'retries_exhausted' }),
    );
    expect(await storedMessages()).toEqual([]);
    const page = await operatorPage(context);

    await page.goto(`${dashboard.origin}/`);
    const sidebar = page.locator('#bull-board-sidebar');
    await expect.poll(() => sidebar.getByRole('link', { name: inboundQueue.name, exact: true }).count()).toBe(1);
    await expect.poll(() => sidebar.getByRole('link', { name: deadLetterQueue.name, exact: true }).count()).toBe(1);

    // The queue's list names each dead letter by its code; its id opens the job.
    await sidebar.getByRole('link', { name: deadLetterQueue.name, exact: true }).click();
    await page.getByText('dead-letter · retries_exhausted').waitFor();
    await page.getByRole('link', { name: dlId, exact: true }).click();
    await page.waitForURL(`**/queue/${deadLetterQueue.name}/${dlId}`);
    await page.getByText('"Database unavailable: retries exhausted"').waitFor();
    await mkdir(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    // bull-board's header menu links to the replay page.
    await page.locator('header ul li').last().getByRole('button').click();
    await page.getByText('Dead letters: replay / remove').click();
    await page.waitForURL('**/dead-letters');
    const row = page.locator(`tr[data-dead-letter="${dlId}"]`);
    await expect.poll(() => row.textContent()).toContain('Database unavailable: retries exhausted');
    await row.getByRole('button', { name: 'Replay' }).click();
    await page.waitForURL('**/dead-letters?done=replayed&count=1');
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Replayed 1 dead letter(s) into the queues they came from.');

    const rows = await waitFor(worker, 'the replayed message in customer_message', async () => {
      const found = await storedMessages();
      return found.length > 0 ? found : undefined;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ msgId: TEXT_MSG_ID, msgType: 'text', dataFormat: 'json', appId: SAMPLE_APP.appId });
    expect(await listDeadLetters(dashboard.deadLetters)).toEqual([]);
    expect(externalRequests).toEqual([]);
    await page.close();
  }, 90_000);

  test('refuses a cross-site form post, and the same action from the dashboard itself works', async ({ dashboard, context }) => {
    const dlId = await addDeadLetter(dashboard.deadLetters, deadLetterOf(plainCallback('e2e-csrf')));
    const attacker = await startAttackerSite(`${dashboard.origin}/dead-letters/${dlId}/remove`);
    try {
      const page = await operatorPage(context);
      await page.goto(`${dashboard.origin}/dead-letters`);
      // localhost is another site than 127.0.0.1: the browser sends the operator's credentials all the same.
      const refused = page.waitForResponse((res) => res.url().endsWith(`/dead-letters/${dlId}/remove`));
      await page.goto(attacker.url);
      expect((await refused).status()).toBe(403);
      await expect.poll(() => page.textContent('body')).toContain('Cross-site request refused');
      expect(await dashboard.deadLetters.getJob(dlId)).toBeDefined();

      await page.goto(`${dashboard.origin}/dead-letters`);
      page.once('dialog', (dialog) => void dialog.accept());
      await page.locator(`tr[data-dead-letter="${dlId}"]`).getByRole('button', { name: 'Remove' }).click();
      await page.waitForURL('**/dead-letters?done=removed&count=1');
      expect(await dashboard.deadLetters.getJob(dlId)).toBeUndefined();
      await page.close();
    } finally {
      attacker.server.close();
    }
  });
});

/** A page on another site that makes the operator's browser post a form to the dashboard. */
async function startAttackerSite(target: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<form id="f" method="post" action="${target}"></form><script>document.getElementById('f').submit()</script>`);
  }).listen(0, 'localhost');
  await once(server, 'listening');
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}/` };
}
