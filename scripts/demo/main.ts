// `npm run demo`: plays WeChat against a running receiver (started by
// `npm start`), then shows what reached customer_message and what was
// refused. Signing and encryption come from the simulator in
// @wxcs/wechat/testing, which has its own crypto code, not the receiver's.
import { setTimeout as sleep } from 'node:timers/promises';
import { loadReceiverConfig, loadWorkerConfig } from '@wxcs/config';
import { createPrismaClient } from '@wxcs/db';
import { appCredentials, dedupKey, normalizeMessage } from '@wxcs/wechat';
import { simulateCallback } from '@wxcs/wechat/testing';
import { demoMessages, type DemoMessage } from './scenario.js';

const receiverConfig = loadReceiverConfig(process.env);
const workerConfig = loadWorkerConfig(process.env);
const [app] = receiverConfig.apps;
if (app === undefined) throw new Error('no mini program configured');
const appId = app.appId;
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

async function main(): Promise<void> {
  const messages = demoMessages(new Date());
  console.log(`Sending to ${receiverUrl}\n`);
  for (const [index, message] of messages.entries()) {
    console.log(`  ${message.label.padEnd(34)} -> HTTP ${await post(message, `n${index}`)}`);
  }
  const retried = messages[0]!;
  console.log(`  ${'WeChat retry of the first message'.padEnd(34)} -> HTTP ${await post(retried, 'retry')}`);
  console.log(`  ${'forged msg_signature'.padEnd(34)} -> HTTP ${await post(messages[1]!, 'forged', true)}  (refused, never queued)`);

  const keys = messages.map((message) => dedupKey(normalizeMessage(message.fields)));
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
    console.log(`\nStored in customer_message (${rows.length} rows for ${keys.length} distinct messages + 1 retry):\n`);
    console.table(
      rows.map((row) => ({
        msg_type: row.msgType,
        format: row.dataFormat,
        msg_id: row.msgId ?? '',
        msg_info: JSON.stringify(row.msgInfo),
      })),
    );
    const ok = rows.length === keys.length;
    console.log(ok ? 'Every message stored exactly once; the retry was absorbed; the forgery was refused.' : 'Some messages are missing: is the worker running (npm start)?');
    process.exitCode = ok ? 0 : 1;
  } finally {
    await prisma.$disconnect();
  }
}

await main();
