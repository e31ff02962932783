import { createHash } from 'node:crypto';
import { insertMessages, markReplyFailed, markReplySent, recordArchived, recordArchiveFailed, reserveReply, type PrismaClient } from '@wxcs/db';
import { messageRow } from './seed.js';

const MINUTE = 60_000;
const text = (content: string) => ({ msgtype: 'text', text: { content } });

interface DemoMessage {
  readonly minutesAgo: number;
  readonly kind: 'text' | 'image' | 'card' | 'entry' | 'reply' | 'failed-reply';
  readonly text?: string;
}

/** A few conversations a support team would see on a weekday morning: the inbox's screenshots in docs/. */
const DEMO: Readonly<Record<string, readonly DemoMessage[]>> = {
  oZx8Q1demoWangFang000000001: [
    { minutesAgo: 42, kind: 'entry' },
    { minutesAgo: 41, kind: 'text', text: '你好，我昨天下的订单还没有发货，能帮我查一下吗？' },
    { minutesAgo: 40, kind: 'card', text: '订单 #20261204-8812' },
    { minutesAgo: 35, kind: 'reply', text: '您好！已经帮您查到了，仓库今天下午发货，发货后会短信通知您。' },
    { minutesAgo: 12, kind: 'text', text: '好的，能改成顺丰吗？' },
    { minutesAgo: 11, kind: 'image' },
  ],
  oZx8Q1demoLiLei0000000000002: [
    { minutesAgo: 2_840, kind: 'text', text: 'The size M jacket is too small, can I exchange it?' },
    { minutesAgo: 2_830, kind: 'failed-reply', text: 'Of course! Please send us a photo of the label.' },
  ],
  oZx8Q1demoZhaoMin00000000003: [
    { minutesAgo: 95, kind: 'text', text: '优惠券怎么用不了？' },
    { minutesAgo: 90, kind: 'reply', text: '请确认订单金额满 199 元，优惠券仅限自营商品。' },
    { minutesAgo: 88, kind: 'text', text: '明白了，谢谢！' },
  ],
  oZx8Q1demoChenJing0000000004: [
    { minutesAgo: 7, kind: 'image' },
    { minutesAgo: 6, kind: 'text', text: '收到的杯子有裂痕' },
  ],
  oZx8Q1demoSunYue000000000005: [{ minutesAgo: 300, kind: 'entry' }],
  oZx8Q1demoHanMei000000000006: [
    { minutesAgo: 2_000, kind: 'text', text: 'Do you ship to Hong Kong?' },
    { minutesAgo: 1_990, kind: 'reply', text: 'Yes, 3-5 working days, free above HK$300.' },
  ],
};

/**
 * Seeds the demo conversations for `appId`, times relative to now; answers
 * the openids, busiest first. Users' images are archived with `photo` (a
 * PNG), the cards' thumbnails end failed as WeChat's 40007 would leave them.
 */
export async function seedDemoConversations(prisma: PrismaClient, appId: string, photo: Buffer): Promise<string[]> {
  const blob = { sha256: createHash('sha256').update(photo).digest('hex'), contentType: 'image/png', size: photo.length, storage: 'postgres' as const };
  const now = Date.now();
  for (const [openid, messages] of Object.entries(DEMO)) {
    for (const message of messages) {
      const at = new Date(now - message.minutesAgo * MINUTE);
      const input = { appId, openid, at };
      if (message.kind === 'text') await insertMessages(prisma, [messageRow(input, 'text', { text: message.text ?? '' }, { Content: message.text })]);
      if (message.kind === 'image') {
        const mediaId = `demo-${openid}-${message.minutesAgo}`;
        await insertMessages(prisma, [messageRow(input, 'image', { pic: 'https://mmbiz.qpic.cn/demo', media_id: mediaId }, {})]);
        await recordArchived(prisma, { appId, mediaId, blob, bytes: photo });
      }
      if (message.kind === 'entry') await insertMessages(prisma, [messageRow(input, 'event', { event: 'user_enter_tempsession', session_from: 'order-page' }, {})]);
      if (message.kind === 'card') {
        const info = { title: message.text ?? '', app_id: 'wx0000demoapp', page_path: 'pages/order/detail?id=8812', thumb_url: 'https://mmbiz.qpic.cn/thumb', thumb_media_id: `thumb-${openid}` };
        await insertMessages(prisma, [messageRow(input, 'miniprogrampage', info, {})]);
        await recordArchiveFailed(prisma, { appId, mediaId: info.thumb_media_id, reason: 'wechat_error', errcode: 40007 });
      }
      if (message.kind === 'reply' || message.kind === 'failed-reply') {
        const reserved = await reserveReply(prisma, { appId, openid, msgType: 'text', body: text(message.text ?? ''), sentBy: 'staff:li.lei', now: at });
        if (reserved.outcome === 'refused') throw new Error(`demo reply refused: ${reserved.reason}`);
        const answered = new Date(at.getTime() + 1_000);
        if (message.kind === 'reply') await markReplySent(prisma, { id: reserved.reply.id, at: answered, errcode: 0, errmsg: 'ok' });
        else await markReplyFailed(prisma, { id: reserved.reply.id, at: answered, errcode: 45015, errmsg: 'response out of time limit' });
      }
    }
  }
  return Object.keys(DEMO);
}

/**
 * `conversations` conversations of one text each, older than the demo ones,
 * and one conversation of `threadLength` messages: the inbox's scale.
 */
export async function seedScale(prisma: PrismaClient, appId: string, options: { conversations: number; threadLength: number; threadOpenid: string }): Promise<void> {
  const start = Date.now() - 2 * 24 * 60 * MINUTE;
  const rows = [];
  for (let n = 0; n < options.conversations; n += 1) {
    const openid = `oScale${String(n).padStart(22, '0')}`;
    rows.push(messageRow({ appId, openid, at: new Date(start + n * 1_000) }, 'text', { text: `question ${n}` }, {}));
  }
  for (let n = 0; n < options.threadLength; n += 1) {
    rows.push(messageRow({ appId, openid: options.threadOpenid, at: new Date(start + n * 10_000) }, 'text', { text: `message ${n} of a long thread` }, {}));
  }
  for (let at = 0; at < rows.length; at += 500) await insertMessages(prisma, rows.slice(at, at + 500));
}
