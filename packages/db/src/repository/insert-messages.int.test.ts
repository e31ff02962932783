import pg from 'pg';
import { describe, expect } from 'vitest';
import { createPrismaClient } from '../client/create-prisma-client.js';
import { databaseTest } from '../testing/index.js';
import { newMessage } from '../testing/new-message.js';
import { countMessages, findMessagesByApp } from '../testing/find-messages.js';
import { insertMessages } from './insert-messages.js';

const test = databaseTest('insert-messages');


async function sql<T extends pg.QueryResultRow>(databaseUrl: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe('insertMessages', () => {
  test('reports inserted or duplicate per row, in input order', async ({ db }) => {
    const a = newMessage({ appId: 'wx_order' });
    const b = newMessage({ appId: 'wx_order' });
    expect(await insertMessages(db.prisma, [a, b])).toEqual(['inserted', 'inserted']);

    const c = newMessage({ appId: 'wx_order' });
    const laterA = { ...a, msgType: 'image' };
    expect(await insertMessages(db.prisma, [laterA, c, b])).toEqual(['duplicate', 'inserted', 'duplicate']);
    expect(await countMessages(db.prisma, { appId: 'wx_order' })).toBe(3);
    // The first stored version wins.
    const stored = await findMessagesByApp(db.prisma, 'wx_order');
    expect(stored.find((row) => row.dedupKey === a.dedupKey)?.msgType).toBe('text');
    expect(await insertMessages(db.prisma, [])).toEqual([]);
  });

  test('keeps the first of several rows with the same key in one batch', async ({ db }) => {
    const first = newMessage({ appId: 'wx_batch', msgType: 'text' });
    const second = { ...first, msgType: 'event' };
    const other = newMessage({ appId: 'wx_batch' });
    expect(await insertMessages(db.prisma, [first, second, other, second])).toEqual([
      'inserted',
      'duplicate',
      'inserted',
      'duplicate',
    ]);
    const stored = await findMessagesByApp(db.prisma, 'wx_batch');
    expect(stored.map((row) => row.msgType).sort()).toEqual(['text', 'text']);
  });

  test('scopes keys per app', async ({ db }) => {
    const row = newMessage({ appId: 'wx_scope_a', dedupKey: 'same' });
    expect(await insertMessages(db.prisma, [row, { ...row, appId: 'wx_scope_b' }])).toEqual(['inserted', 'inserted']);
  });

  test('stores 64-bit MsgIds and big numbers in the payload exactly', async ({ db }) => {
    const ids = ['22223624286040849', '22223624286040848', '22223624286040850'];
    // As JS numbers the first two would be the same value.
    expect(Number(ids[0])).toBe(Number(ids[1]));
    const payloadJson = '{"MsgId":22223624286040849,"Huge":123456789012345678901234567890,"Content":"hi"}';
    const rows = ids.map((msgId) => newMessage({ appId: 'wx_exact', msgId, dedupKey: msgId, payloadJson }));
    expect(await insertMessages(db.prisma, rows)).toEqual(['inserted', 'inserted', 'inserted']);

    const stored = await sql<{ msg_id: string; payload_msg_id: string; huge: string }>(
      db.url,
      `SELECT msg_id, payload->>'MsgId' AS payload_msg_id, payload->>'Huge' AS huge
       FROM customer_message WHERE app_id = 'wx_exact' ORDER BY msg_id`,
    );
    expect(stored.map((row) => row.msg_id)).toEqual([...ids].sort());
    expect(new Set(stored.map((row) => row.payload_msg_id))).toEqual(new Set(['22223624286040849']));
    expect(stored[0]?.huge).toBe('123456789012345678901234567890');
    expect(await sql(db.url, `SELECT jsonb_typeof(payload->'MsgId') AS type FROM customer_message WHERE app_id = 'wx_exact' LIMIT 1`)).toEqual([
      { type: 'number' },
    ]);

    const found = await findMessagesByApp(db.prisma, 'wx_exact');
    expect(found.map((row) => row.msgId).sort()).toEqual([...ids].sort());
    expect(found[0]?.payloadJson).toContain('"MsgId": 22223624286040849');
    expect(found[0]?.payloadJson).toContain('123456789012345678901234567890');
  });

  test('round-trips every column', async ({ db }) => {
    const row = newMessage({
      appId: 'wx_columns',
      signature: null,
      timestamp: null,
      nonce: null,
      openid: null,
      encryptType: 'aes',
      msgSignature: 'msig',
      msgType: 'image',
      msgInfo: { pic: 'https://x/p.jpg', media_id: 'mid' },
      msgId: '1',
      encrypt: 'Y2lwaGVy',
      dataFormat: 'xml',
      payloadJson: '{"nested":{"list":[1,"two",null,true]},"emoji":"😀"}',
    });
    await insertMessages(db.prisma, [row]);
    const [stored] = await findMessagesByApp(db.prisma, 'wx_columns');
    const { id, createTime, updateTime, deleteTime, payloadJson, ...rest } = stored ?? ({} as never);
    expect(rest).toEqual({ ...row, payloadJson: undefined } as unknown as typeof rest);
    expect(JSON.parse(payloadJson)).toEqual(JSON.parse(row.payloadJson));
    expect(id).toMatch(/^\d+$/);
    expect(createTime).toBeInstanceOf(Date);
    expect(updateTime).toBeInstanceOf(Date);
    expect(deleteTime).toBeNull();
  });

  test('stores times to the millisecond, whatever the millisecond and the date', async ({ db }) => {
    const times = ['1970-01-01T00:00:00.001Z', '2025-03-04T05:06:07.999Z', '2038-01-19T03:14:08.500Z', '2099-12-31T23:59:59.999Z'];
    const rows = times.map((time, index) =>
      newMessage({ appId: 'wx_times', dedupKey: `t${index}`, msgCreateTime: new Date(time), receivedAt: new Date(Date.parse(time) + 1) }),
    );
    await insertMessages(db.prisma, rows);
    const stored = await findMessagesByApp(db.prisma, 'wx_times');
    expect(stored.map((row) => [row.msgCreateTime.toISOString(), row.receivedAt.getTime() - row.msgCreateTime.getTime()])).toEqual(
      times.map((time) => [time, 1]),
    );
  });

  test('returns an app’s messages in conversation order', async ({ db }) => {
    const t = (second: number) => new Date(Date.UTC(2025, 5, 1, 0, 0, second));
    await insertMessages(db.prisma, [
      newMessage({ appId: 'wx_conv', fromUsername: 'o_b', msgCreateTime: t(1) }),
      newMessage({ appId: 'wx_conv', fromUsername: 'o_a', msgCreateTime: t(3) }),
      newMessage({ appId: 'wx_conv', fromUsername: 'o_a', msgCreateTime: t(2) }),
    ]);
    const found = await findMessagesByApp(db.prisma, 'wx_conv');
    expect(found.map((row) => [row.fromUsername, row.msgCreateTime.getUTCSeconds()])).toEqual([
      ['o_a', 2],
      ['o_a', 3],
      ['o_b', 1],
    ]);
    expect(await findMessagesByApp(db.prisma, 'wx_conv', { limit: 1 })).toHaveLength(1);
    expect(await findMessagesByApp(db.prisma, 'wx_nobody')).toEqual([]);
  });

  test('lets exactly one of two connections insert the same key at the same time', async ({ db }) => {
    const first = createPrismaClient({ databaseUrl: db.url, poolSize: 2 });
    const second = createPrismaClient({ databaseUrl: db.url, poolSize: 2 });
    try {
      const row = newMessage({ appId: 'wx_race' });
      // The first connection inserts inside an open transaction; the second's
      // insert must wait on that row and then count it as a duplicate.
      let secondOutcome: Promise<unknown> | undefined;
      const firstOutcome = await first.$transaction(async (tx) => {
        const outcome = await insertMessages(tx, [row]);
        secondOutcome = insertMessages(second, [row]);
        await expect
          .poll(
            async () =>
              (
                await sql(
                  db.url,
                  `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO customer_message%'`,
                )
              ).length,
            { timeout: 5_000 },
          )
          .toBe(1);
        return outcome;
      }, { timeout: 15_000 });
      expect(firstOutcome).toEqual(['inserted']);
      expect(await secondOutcome).toEqual(['duplicate']);

      // And without orchestration: many shared keys in opposite orders, both
      // clients at once, several rounds — lock order must not depend on input order.
      for (let round = 0; round < 20; round += 1) {
        const appId = `wx_race_many_${round}`;
        const rows = Array.from({ length: 50 }, () => newMessage({ appId }));
        const [a, b] = await Promise.all([insertMessages(first, rows), insertMessages(second, [...rows].reverse())]);
        const outcomes = rows.map((_, index) => [a[index], b[rows.length - 1 - index]].sort());
        expect(outcomes.every((pair) => pair[0] === 'duplicate' && pair[1] === 'inserted')).toBe(true);
        expect(await countMessages(db.prisma, { appId })).toBe(50);
      }
      expect(await countMessages(db.prisma, { appId: 'wx_race' })).toBe(1);
    } finally {
      await first.$disconnect();
      await second.$disconnect();
    }
  });
});
