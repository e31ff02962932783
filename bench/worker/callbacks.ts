import { randomBytes, randomUUID } from 'node:crypto';
import type { InboundCallback } from '@wxcs/queue';
import { appCredentials, type WechatFields } from '@wxcs/wechat';
import { simulateCallback } from '@wxcs/wechat/testing';
import { BENCH_APP } from './child-env.js';

const credentials = appCredentials(BENCH_APP);
const TO = 'gh_5be0c4a9f1d2';
const WORDS = ['你好', '请问', '订单', '什么时候发货', 'hello', 'refund', '谢谢', '地址改一下', '😀', 'order #1024'];

/** Deterministic pseudo-random numbers, so every run benchmarks the same mix. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function message(n: number, random: () => number): WechatFields {
  const base = {
    ToUserName: TO,
    FromUserName: `oBench${(n % 997).toString().padStart(4, '0')}${n.toString(36)}`,
    CreateTime: String(1_714_000_000 + n),
  };
  const msgId = (6_000_000_000_000_000_000n + BigInt(n)).toString();
  const kind = random();
  if (kind < 0.5) {
    const words = Array.from({ length: 1 + Math.floor(random() * 12) }, () => WORDS[Math.floor(random() * WORDS.length)]);
    return { ...base, MsgType: 'text', Content: words.join(' '), MsgId: msgId };
  }
  if (kind < 0.65) {
    return { ...base, MsgType: 'image', PicUrl: `http://mmbiz.qpic.cn/mmbiz_jpg/${n}/0`, MediaId: `media_${n}_${'x'.repeat(24)}`, MsgId: msgId };
  }
  if (kind < 0.75) {
    return {
      ...base,
      MsgType: 'miniprogrampage',
      MsgId: msgId,
      Title: `商品 ${n}`,
      AppId: BENCH_APP.appId,
      PagePath: `pages/item/detail?id=${n}`,
      ThumbUrl: '',
      ThumbMediaId: '',
    };
  }
  if (kind < 0.9) return { ...base, MsgType: 'event', Event: 'user_enter_tempsession', SessionFrom: `bench-${n % 7}` };
  if (kind < 0.95) {
    return {
      ...base,
      MsgType: 'event',
      Event: 'subscribe_msg_popup_event',
      List: [
        { TemplateId: `tpl_${n}_a`, SubscribeStatusString: 'accept', PopupScene: '0' },
        { TemplateId: `tpl_${n}_b`, SubscribeStatusString: 'reject', PopupScene: '0' },
      ],
    };
  }
  return { ...base, MsgType: 'event', Event: 'wxa_media_check', appid: BENCH_APP.appId, trace_id: `trace-${n}`, version: '2', result: { suggest: 'pass', label: '100' } };
}

function deliver(fields: WechatFields, random: () => number): InboundCallback {
  const simulated = simulateCallback({
    app: credentials,
    message: fields,
    format: 'json',
    mode: random() < 0.9 ? 'safe' : 'compatible',
    nonce: String(randomBytes(4).readUInt32BE()),
    timestamp: String(1_714_000_000 + Math.floor(random() * 100_000)),
  });
  return {
    v: 1,
    callbackId: randomUUID(),
    app: BENCH_APP.name,
    receivedAt: new Date().toISOString(),
    body: simulated.body,
    contentType: simulated.contentType,
    query: simulated.query,
  };
}

export interface Workload {
  readonly deliveries: readonly InboundCallback[];
  /** How many distinct messages the deliveries carry. */
  readonly distinct: number;
}

/**
 * `total` encrypted JSON callbacks (90% safe mode, 10% compatible) of mixed
 * types; about `duplicateShare` of them re-deliver an earlier message with
 * fresh nonce, timestamp and IV, as WeChat's retries do.
 */
export function buildWorkload(total: number, duplicateShare: number, seed = 42): Workload {
  const random = createRandom(seed);
  const distinct = Math.round(total / (1 + duplicateShare));
  const messages = Array.from({ length: distinct }, (_unused, n) => message(n, random));
  const deliveries = messages.map((fields) => deliver(fields, random));
  for (let i = distinct; i < total; i += 1) {
    const earlier = messages[Math.floor(random() * distinct)] as WechatFields;
    // Anywhere in the stream: whichever copy comes first is the one stored.
    const at = Math.min(deliveries.length, Math.floor(random() * deliveries.length) + 1);
    deliveries.splice(at, 0, deliver(earlier, random));
  }
  return { deliveries, distinct };
}
