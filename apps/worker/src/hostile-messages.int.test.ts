import { randomBytes } from 'node:crypto';
import { STORAGE_NOTE_KEY } from '@wxcs/db';
import type { TestDatabase } from '@wxcs/db/testing';
import { listDeadLetters, type InboundCallback, type InboundQueue } from '@wxcs/queue';
import type { WechatFields } from '@wxcs/wechat';
import { sampleMessage } from '@wxcs/wechat/testing';
import { waitFor } from '@wxcs/testkit';
import { describe, expect } from 'vitest';
import { enqueue, inboundCallback, textMessage, waitUntilQueueEmpty } from './testing/callbacks.js';
import { workerTest } from './testing/worker-test.js';

const test = workerTest('worker-hostile');

// Real PostgreSQL errors on demand: inserting a row from a sender listed in
// wxcs_test_failing_sender raises that sender's SQLSTATE.
const CREATE_FAILING_SENDERS = [
  'CREATE TABLE wxcs_test_failing_sender (sender text PRIMARY KEY, sql_state text NOT NULL)',
  `CREATE FUNCTION wxcs_test_fail() RETURNS trigger AS $$
   DECLARE state text;
   BEGIN
     SELECT sql_state INTO state FROM wxcs_test_failing_sender WHERE sender = NEW.from_username;
     IF state IS NOT NULL THEN RAISE EXCEPTION 'simulated SQLSTATE %', state USING ERRCODE = state; END IF;
     RETURN NEW;
   END $$ LANGUAGE plpgsql`,
  'CREATE TRIGGER wxcs_test_fail BEFORE INSERT ON customer_message FOR EACH ROW EXECUTE FUNCTION wxcs_test_fail()',
];

test.beforeAll(async ({ database }) => {
  for (const statement of CREATE_FAILING_SENDERS) await database.prisma.$executeRawUnsafe(statement);
});

async function outcomesOf(inbound: InboundQueue, callbacks: readonly InboundCallback[]): Promise<string[]> {
  const jobs = await Promise.all(callbacks.map((callback) => inbound.getJob(callback.callbackId)));
  return jobs.map((job) => (job?.returnvalue as { outcome?: string } | undefined)?.outcome ?? 'unsettled');
}

const rowsFrom = (database: TestDatabase, fromUsername: string) => database.prisma.customerMessage.findMany({ where: { fromUsername } });

// Random base64 does not compress, so PostgreSQL cannot shrink it into an index entry.
const incompressible = (length: number) => randomBytes(length).toString('base64').slice(0, length);

function sessionEntry(fromUserName: string, sessionFrom: string): WechatFields {
  return { ...sampleMessage('event'), FromUserName: fromUserName, CreateTime: '1714112445', SessionFrom: sessionFrom };
}

describe('hostile and unusual messages through the worker (real Redis and PostgreSQL)', () => {
  test('keeps two session entries of one user in the same second that differ in SessionFrom, and stores each retry once', async ({ inbound, database }) => {
    const [cart, order] = [sessionEntry('o-two-entries', 'cart'), sessionEntry('o-two-entries', 'order')];
    const deliveries = [
      inboundCallback({ message: cart }),
      inboundCallback({ message: order }),
      // WeChat's retries: the same event, re-encrypted with a fresh nonce, or sent in another mode.
      inboundCallback({ message: cart, mode: 'compatible' }),
      inboundCallback({ message: order, mode: 'plaintext' }),
    ];
    await enqueue(inbound, deliveries);
    await waitUntilQueueEmpty(inbound);

    const rows = await rowsFrom(database, 'o-two-entries');
    expect(rows.map((row) => (row.msgInfo as Record<string, string>).session_from).sort()).toEqual(['cart', 'order']);
    expect((await outcomesOf(inbound, deliveries)).sort()).toEqual(['duplicate', 'duplicate', 'inserted', 'inserted']);
  });

  test('stores messages PostgreSQL could not hold as sent, notes what changed, and dead-letters none', async ({ inbound, deadLetters, database }) => {
    const longSender = `o-${incompressible(6_000)}`;
    const longEventSender = `o-event-${incompressible(6_000)}`;
    const cases: { name: string; callback: InboundCallback; sender: string; note: string; text?: string }[] = [
      { name: 'NUL in JSON', sender: 'o-nul', note: 'msg_info.text', text: 'nul \ufffd inside', callback: inboundCallback({ message: { ...textMessage(1), FromUserName: 'o-nul', Content: 'nul \u0000 inside' } }) },
      { name: 'lone surrogate in JSON', sender: 'o-surrogate', note: 'payload', text: 'half \ufffd pair', callback: inboundCallback({ message: { ...textMessage(2), FromUserName: 'o-surrogate', Content: 'half \ud800 pair' } }) },
      {
        name: 'control characters in XML',
        sender: 'o-xml-control',
        note: 'msg_info.text',
        text: 'bell \u0007 nul \ufffd esc \u001b',
        callback: inboundCallback({ message: { ...textMessage(3), FromUserName: 'o-xml-control', Content: 'bell \u0007 nul \u0000 esc \u001b' }, format: 'xml' }),
      },
      { name: 'over-long sender', sender: longSender.slice(0, 128), note: 'from_username: cut from 6002 to 128', callback: inboundCallback({ message: { ...textMessage(4), FromUserName: longSender } }) },
      {
        name: 'over-long sender of an event (an over-long dedup key)',
        sender: longEventSender.slice(0, 128),
        note: 'dedup_key',
        callback: inboundCallback({ message: sessionEntry(longEventSender, 'long') }),
      },
    ];
    const callbacks = cases.map(({ callback }) => callback);
    // A second delivery of each: the stored form must still deduplicate.
    const retries = cases.map(({ callback }) => ({ ...callback, callbackId: `${callback.callbackId}-again` }));
    await enqueue(inbound, [...callbacks, ...retries]);
    await waitUntilQueueEmpty(inbound);

    expect(await listDeadLetters(deadLetters)).toEqual([]);
    expect(await outcomesOf(inbound, callbacks)).toEqual(cases.map(() => 'inserted'));
    expect(await outcomesOf(inbound, retries)).toEqual(cases.map(() => 'duplicate'));
    for (const { name, sender, note, text } of cases) {
      const rows = await rowsFrom(database, sender);
      expect(rows, name).toHaveLength(1);
      const info = rows[0]?.msgInfo as Record<string, string>;
      expect(info[STORAGE_NOTE_KEY], name).toContain(note);
      if (text !== undefined) {
        expect(info.text, name).toBe(text);
        expect((rows[0]?.payload as WechatFields).Content, name).toBe(text);
      }
    }
  });

  test('dead-letters at once a row PostgreSQL refuses for good, and stores its neighbours', async ({ inbound, deadLetters, database }) => {
    const refusals = { 'o-program-limit': '54000', 'o-bad-value': '22023', 'o-rule': '42804' };
    for (const [sender, sqlState] of Object.entries(refusals)) {
      await database.prisma.$executeRaw`INSERT INTO wxcs_test_failing_sender VALUES (${sender}, ${sqlState})`;
    }
    const refused = Object.keys(refusals).map((sender, n) => inboundCallback({ message: { ...textMessage(100 + n), FromUserName: sender } }));
    const neighbours = [inboundCallback({ message: textMessage(110) }), inboundCallback({ message: textMessage(111) })];
    await enqueue(inbound, [neighbours[0] as InboundCallback, ...refused, neighbours[1] as InboundCallback], 10);
    await waitUntilQueueEmpty(inbound);

    const letters = (await listDeadLetters(deadLetters)).map(({ letter }) => letter);
    expect(letters.map((letter) => letter.sourceJobId).sort()).toEqual(refused.map((callback) => callback.callbackId).sort());
    for (const letter of letters) {
      expect(letter).toMatchObject({ kind: 'permanent', code: 'db_rejected_row', attemptsMade: 1 });
      expect(letter.reason).toMatch(/SQLSTATE (54000|22023|42804)/);
    }
    expect(await outcomesOf(inbound, neighbours)).toEqual(['inserted', 'inserted']);
  });

  test('waits out a database that cannot take writes without spending attempts, then stores the row once', async ({ inbound, deadLetters, database, worker }) => {
    await database.prisma.$executeRaw`INSERT INTO wxcs_test_failing_sender VALUES ('o-shutting-down', '57P03')`;
    const before = await worker.metric('wxcs_worker_jobs_retried_total', { reason: 'database_unavailable' });
    const callback = inboundCallback({ message: { ...textMessage(200), FromUserName: 'o-shutting-down' } });
    await enqueue(inbound, [callback], 2);
    await waitFor('the worker to wait for the database', async () => (await worker.metric('wxcs_worker_jobs_retried_total', { reason: 'database_unavailable' })) > before + 3);

    expect(await listDeadLetters(deadLetters, { code: 'retries_exhausted' })).toEqual([]);
    await database.prisma.$executeRaw`DELETE FROM wxcs_test_failing_sender WHERE sender = 'o-shutting-down'`;
    await waitUntilQueueEmpty(inbound);
    expect(await rowsFrom(database, 'o-shutting-down')).toHaveLength(1);
    // The bounces spent none of the two attempts: only the one that stored the row counts.
    expect((await inbound.getJob(callback.callbackId))?.attemptsMade).toBe(1);
  });

  test('stores the decrypted FromUserName as openid when the unsigned query names someone else', async ({ inbound, database }) => {
    const genuine = inboundCallback({ message: { ...textMessage(300), FromUserName: 'o-real-sender' } });
    const forged = { ...genuine, query: { ...genuine.query, openid: 'o-someone-else' } };
    await enqueue(inbound, [forged]);
    await waitUntilQueueEmpty(inbound);
    expect(await rowsFrom(database, 'o-real-sender')).toMatchObject([{ openid: 'o-real-sender', fromUsername: 'o-real-sender' }]);
  });
});
