// `npm run demo`: plays WeChat against the apps `npm start` runs. It posts
// signed, encrypted callbacks to the receiver and shows what reached
// customer_message and what was refused. Then it answers the user through
// the support API, with WeChat's server API played by the testkit's fake on
// DEMO_WECHAT_API_URL (start the apps with WECHAT_API_BASE_URL set to it).
// The same fake serves the photos the demo user sends, so the worker archives
// them, and the demo shows each archived image's size and SHA-256.
// Signing and encryption come from the simulator in @wxcs/wechat/testing,
// which has its own crypto code, not the receiver's.
import { setTimeout as sleep } from 'node:timers/promises';
import { DEVELOPMENT_STAFF, loadReceiverConfig, loadSupportConfig, loadWorkerConfig } from '@wxcs/config';
import { createPrismaClient, readArchivedMedia } from '@wxcs/db';
import { saveStaffAccount } from '@wxcs/support/staff-accounts';
import { jpegOfSize, pngImage, startFakeWechatApi, type FakeWechatApi } from '@wxcs/testkit';
import { appCredentials, dedupKey, normalizeMessage } from '@wxcs/wechat';
import { simulateCallback } from '@wxcs/wechat/testing';
import { answerUser } from './answer-user.js';
import { demoMessages, type DemoMessage } from './scenario.js';

const DEMO_WECHAT_API_URL = 'http://127.0.0.1:3009';

const receiverConfig = loadReceiverConfig(process.env);
const workerConfig = loadWorkerConfig(process.env);
const supportConfig = loadSupportConfig(process.env);
const [app] = receiverConfig.apps;
if (app === undefined) throw new Error('no mini program configured');
const appId = app.appId;
const appName = app.name;
const credentials = appCredentials(app);
const receiverUrl = `http://127.0.0.1:${receiverConfig.receiver.PORT}/wechat/${app.name}`;

async function post(message: DemoMessage, nonce: string, tamper = false): Promise<number> {
  const callback = simulateCallback({
    app: credentials,
    message: message.fields,
    format: message.format,
    mode: 'safe',
    timestamp: String(Math.floor(Date.now() / 1000)),
    nonce,
  });
  if (tamper) callback.query.msg_signature = '0'.repeat(40);
  const url = `${receiverUrl}?${new URLSearchParams(callback.query).toString()}`;
  const response = await fetch(url, { method: 'POST', body: callback.body, headers: { 'content-type': callback.contentType } });
  await response.text();
  return response.status;
}

/** Stored rows of this run's messages, once all are there or after 20 s. */
async function storedRows(keys: string[]) {
  const prisma = createPrismaClient({ databaseUrl: workerConfig.database.DATABASE_URL, poolSize: 1 });
  try {
    let rows: Awaited<ReturnType<typeof prisma.customerMessage.findMany>> = [];
    for (let waited = 0; waited < 20_000 && rows.length < keys.length; waited += 250) {
      await sleep(250);
      rows = await prisma.customerMessage.findMany({
        where: { appId, dedupKey: { in: keys } },
        orderBy: { msgCreateTime: 'asc' },
      });
    }
    return rows;
  } finally {
    await prisma.$disconnect();
  }
}

async function answer(wechat: FakeWechatApi | undefined, openid: string): Promise<boolean> {
  if (wechat === undefined) {
    console.log('\nThe app has no AppSecret (WECHAT_APP_SECRET): it is inbound-only, so the demo answers nobody.');
    return true;
  }
  {
    // WeChat's side of the conversation: the user wrote, so WeChat accepts replies.
    wechat.userSentMessage(appId, openid);
    const [token] = supportConfig.support.tokens;
    const supportUrl = `http://127.0.0.1:${supportConfig.support.SUPPORT_PORT}`;
    const sent = await answerUser({ supportUrl, supportToken: token?.token ?? '', app: appName, openid, content: 'Thanks, we are on it!' }, wechat, appId);
    if (!sent && workerConfig.wechatApi.WECHAT_API_BASE_URL !== DEMO_WECHAT_API_URL) {
      console.log(`\nThe worker calls ${workerConfig.wechatApi.WECHAT_API_BASE_URL}; for the demo, start the apps with WECHAT_API_BASE_URL=${DEMO_WECHAT_API_URL} npm start`);
    }
    return sent;
  }
}

/** The photos the user sends, served by WeChat's fake: a 180 kB JPEG per format and a card thumbnail. */
function userPhotos(wechat: FakeWechatApi | undefined, runId: string) {
  const ids = new Map<string, string>();
  if (wechat === undefined) return { mediaFor: () => undefined, ids: () => [] as string[] };
  for (const format of ['json', 'xml'] as const) {
    ids.set(`${format}/image`, wechat.addUserMedia(appId, { bytes: jpegOfSize(180_000, `${runId}-${format}`), contentType: 'image/jpeg', filename: 'broken-order.jpg' }));
    ids.set(`${format}/miniprogrampage`, wechat.addUserMedia(appId, { bytes: pngImage(48, 48, `${runId}-${format}-thumb`), contentType: 'image/png' }));
  }
  return { mediaFor: (format: string, name: string) => ids.get(`${format}/${name}`), ids: () => [...ids.values()] };
}

/** Waits for the archives of the user's photos and shows each one's size and hash; true when all are archived. */
async function showArchives(mediaIds: readonly string[]): Promise<boolean> {
  if (mediaIds.length === 0) return true;
  const prisma = createPrismaClient({ databaseUrl: workerConfig.database.DATABASE_URL, poolSize: 1 });
  try {
    let found: Awaited<ReturnType<typeof readArchivedMedia>>[] = [];
    for (let waited = 0; waited < 20_000; waited += 250) {
      found = await Promise.all(mediaIds.map((mediaId) => readArchivedMedia(prisma, { appId, mediaId })));
      if (found.every((media) => media !== undefined && media.archive.status !== 'pending')) break;
      await sleep(250);
    }
    console.log('\nImages archived from WeChat (media/get, never the PicUrl):\n');
    console.table(
      found.map((media, index) => ({
        media_id: `${(mediaIds[index] ?? '').slice(0, 12)}…`,
        status: media?.archive.status ?? 'no archive',
        type: media?.blob?.contentType ?? '',
        bytes: media?.blob?.size ?? '',
        sha256: media?.blob?.sha256 ?? media?.archive.reason ?? '',
      })),
    );
    const archived = found.every((media) => media?.archive.status === 'archived');
    if (!archived && workerConfig.wechatApi.WECHAT_API_BASE_URL !== DEMO_WECHAT_API_URL) {
      console.log(`The worker calls ${workerConfig.wechatApi.WECHAT_API_BASE_URL}; for the demo, start the apps with WECHAT_API_BASE_URL=${DEMO_WECHAT_API_URL} npm start`);
    }
    return archived;
  } finally {
    await prisma.$disconnect();
  }
}

/** The inbox's address, with the demo staff account (created here; production refuses its password). */
async function showInbox(): Promise<void> {
  const prisma = createPrismaClient({ databaseUrl: supportConfig.database.DATABASE_URL, poolSize: 1 });
  try {
    await saveStaffAccount(prisma, { ...DEVELOPMENT_STAFF, now: new Date() });
  } finally {
    await prisma.$disconnect();
  }
  console.log(`\nThe support inbox: http://127.0.0.1:${supportConfig.support.SUPPORT_PORT}/inbox`);
  console.log(`  sign in as ${DEVELOPMENT_STAFF.name} / ${DEVELOPMENT_STAFF.password} (a development account; add your own with npm run support-users -- add NAME)`);
}

async function main(wechat: FakeWechatApi | undefined): Promise<void> {
  const startedAt = new Date();
  const photos = userPhotos(wechat, String(startedAt.getTime()));
  const messages = demoMessages(startedAt, photos.mediaFor);
  console.log(`Sending to ${receiverUrl}\n`);
  for (const [index, message] of messages.entries()) {
    console.log(`  ${message.label.padEnd(34)} -> HTTP ${await post(message, `n${index}`)}`);
  }
  const retried = messages[0]!;
  console.log(`  ${'WeChat retry of the first message'.padEnd(34)} -> HTTP ${await post(retried, 'retry')}`);
  console.log(`  ${'forged msg_signature'.padEnd(34)} -> HTTP ${await post(messages[1]!, 'forged', true)}  (refused, never queued)`);

  const keys = messages.map((message) => dedupKey(normalizeMessage(message.fields)));
  const rows = await storedRows(keys);
  console.log(`\nStored in customer_message (${rows.length} rows for ${keys.length} distinct messages + 1 retry):\n`);
  console.table(
    rows.map((row) => ({
      msg_type: row.msgType,
      format: row.dataFormat,
      msg_id: row.msgId ?? '',
      msg_info: JSON.stringify(row.msgInfo),
    })),
  );
  const stored = rows.length === keys.length;
  console.log(stored ? 'Every message stored exactly once; the retry was absorbed; the forgery was refused.' : 'Some messages are missing: is the worker running (npm start)?');
  const archived = stored && (await showArchives(photos.ids()));
  const answered = stored && (await answer(wechat, retried.openid));
  await showInbox();
  process.exitCode = stored && archived && answered ? 0 : 1;
}

// WeChat's server API, from the first callback on: the worker fetches the user's photos from it.
const wechat = app.appSecret === undefined ? undefined : await startFakeWechatApi({ apps: [{ appId, secret: app.appSecret }], port: Number(new URL(DEMO_WECHAT_API_URL).port) });
try {
  await main(wechat);
} finally {
  await wechat?.close();
}
