import { listDeadLetters, type InboundQueue } from '@wxcs/queue';
import type { DataFormat, MessageEncryption, WechatFields } from '@wxcs/wechat';
import { SAMPLE_NAMES, sampleMessage } from '@wxcs/wechat/testing';
import { describe, expect } from 'vitest';
import { TEST_APP, enqueue, inboundCallback, textMessage, waitUntilQueueEmpty } from './testing/callbacks.js';
import { workerTest } from './testing/worker-test.js';

const test = workerTest('worker-pipeline');

async function returnValues(inbound: InboundQueue, jobIds: readonly string[]): Promise<unknown[]> {
  const jobs = await Promise.all(jobIds.map((id) => inbound.getJob(id)));
  return jobs.map((job) => job?.returnvalue);
}

const EXPECTED_INFO: Record<string, Record<string, string>> = {
  text: { text: 'hello' },
  image: { pic: 'http://mmbiz.qpic.cn/mmbiz_jpg/5Hq1Xb2aVwQ/0', media_id: 'Tq3oP8Vd0nJ5kL2mX7rY9cB4wE1sA6fG_hZuI3jK' },
  miniprogrampage: {
    title: '订单详情 Order #1024',
    app_id: TEST_APP.appId,
    page_path: 'pages/order/detail?id=1024&from=share',
    thumb_url: '',
    thumb_media_id: '',
  },
  event: { event: 'user_enter_tempsession', session_from: "open-type='contact'" },
};

describe('the worker pipeline (real Redis and PostgreSQL)', () => {
  test('stores every message type, in both formats and all three modes, with the right msg_info', async ({ inbound, database }) => {
    const cases: { fields: WechatFields; format: DataFormat; mode: MessageEncryption; sample: string }[] = [];
    let n = 0;
    for (const sample of SAMPLE_NAMES) {
      for (const format of ['json', 'xml'] as const) {
        for (const mode of ['plaintext', 'compatible', 'safe'] as const) {
          n += 1;
          // Distinct message per case, so none is a duplicate of another.
          const fields = { ...sampleMessage(sample), FromUserName: `o-user-${n}` };
          if ('MsgId' in fields) fields.MsgId = `80000000000000000${n.toString().padStart(2, '0')}`;
          cases.push({ fields, format, mode, sample });
        }
      }
    }
    const callbacks = cases.map(({ fields, format, mode }) => inboundCallback({ message: fields, format, mode }));
    await enqueue(inbound, callbacks);
    await waitUntilQueueEmpty(inbound);

    const rows = await database.prisma.customerMessage.findMany();
    expect(rows).toHaveLength(cases.length);
    cases.forEach(({ fields, format, mode, sample }, index) => {
      const callback = callbacks[index];
      const row = rows.find((candidate) => candidate.fromUsername === fields.FromUserName);
      expect(row, `${sample} ${format} ${mode}`).toBeDefined();
      expect(row).toMatchObject({
        appId: TEST_APP.appId,
        toUsername: fields.ToUserName,
        msgType: fields.MsgType,
        msgInfo: EXPECTED_INFO[sample],
        msgId: fields.MsgId ?? null,
        dataFormat: format,
        signature: callback?.query.signature,
        timestamp: callback?.query.timestamp,
        nonce: callback?.query.nonce,
        // The sender, in every mode: plaintext callbacks carry no openid in the query.
        openid: fields.FromUserName,
        encryptType: mode === 'plaintext' ? null : 'aes',
        msgSignature: mode === 'plaintext' ? null : callback?.query.msg_signature,
        payload: fields,
      });
      expect(row?.encrypt === null).toBe(mode === 'plaintext');
      expect(row?.msgCreateTime.getTime()).toBe(Number(fields.CreateTime) * 1_000);
    });
  });

  test('keeps unknown message types and events instead of dropping them', async ({ inbound, database }) => {
    const file: WechatFields = { ...sampleMessage('text'), MsgType: 'file', MsgId: '7000000000000000001', Title: 'a.pdf' };
    delete file.Content;
    const mediaCheck: WechatFields = {
      ToUserName: 'gh_8f2d3c4b5a6e',
      FromUserName: 'o-media-check',
      CreateTime: '1714112446',
      MsgType: 'event',
      Event: 'wxa_media_check',
      trace_id: '6671c0bd-1c1c-4e1a',
      result: { suggest: 'pass', label: '100' },
    };
    await enqueue(inbound, [inboundCallback({ message: file }), inboundCallback({ message: mediaCheck, format: 'xml' })]);
    await waitUntilQueueEmpty(inbound);
    const stored = await database.prisma.customerMessage.findMany({ where: { msgType: { in: ['file', 'event'] }, fromUsername: { in: [file.FromUserName as string, 'o-media-check'] } } });
    expect(stored.find((row) => row.msgType === 'file')?.msgInfo).toEqual({ msg_id: '7000000000000000001', title: 'a.pdf' });
    expect(stored.find((row) => row.fromUsername === 'o-media-check')?.msgInfo).toEqual({ event: 'wxa_media_check', trace_id: '6671c0bd-1c1c-4e1a' });
  });

  test('keeps MsgIds beyond 2^53 exact and distinct', async ({ inbound, database }) => {
    // JSON.parse collapses each adjacent pair below into one number.
    const ids = ['9007199254740992', '9007199254740993', '22223624286040849', '22223624286040848', '6074746557628292943', '18446744073709551615'];
    const callbacks = ids.map((MsgId, index) =>
      inboundCallback({ message: { ...sampleMessage('text'), MsgId, Content: `big ${MsgId}` }, format: index % 2 === 0 ? 'json' : 'xml' }),
    );
    await enqueue(inbound, callbacks);
    await waitUntilQueueEmpty(inbound);
    const rows = await database.prisma.customerMessage.findMany({ where: { msgId: { in: ids } } });
    expect(rows.map((row) => row.msgId).sort()).toEqual([...ids].sort());
    for (const row of rows) {
      expect((row.payload as WechatFields).MsgId).toBe(row.msgId);
      expect(row.dedupKey).toBe(`msg:${row.msgId}`);
    }
  });

  test('stores four deliveries of one message once and counts three duplicates', async ({ inbound, deadLetters, database, worker }) => {
    const before = await worker.metric('wxcs_worker_duplicates_total');
    const message = textMessage(4_000, 'delivered four times');
    const deliveries = [
      inboundCallback({ message, mode: 'safe' }),
      inboundCallback({ message, mode: 'safe' }),
      inboundCallback({ message, mode: 'compatible' }),
      inboundCallback({ message, mode: 'plaintext' }),
    ];
    await enqueue(inbound, deliveries);
    await waitUntilQueueEmpty(inbound);
    expect(await database.prisma.customerMessage.count({ where: { msgId: message.MsgId as string } })).toBe(1);
    const outcomes = (await returnValues(inbound, deliveries.map((d) => d.callbackId))).map((value) => (value as { outcome: string }).outcome);
    expect(outcomes.sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'inserted']);
    expect((await worker.metric('wxcs_worker_duplicates_total')) - before).toBe(3);
    expect(await listDeadLetters(deadLetters)).toEqual([]);
  });

  test('records batch sizes and persist latency', async ({ worker }) => {
    expect(await worker.metric('wxcs_worker_batch_size')).toBeGreaterThan(0);
    expect(await worker.metric('wxcs_worker_persist_duration_seconds', { result: 'ok' })).toBeGreaterThan(0);
    expect(await worker.metric('wxcs_worker_jobs_processed_total', { outcome: 'inserted' })).toBeGreaterThan(30);
  });
});
