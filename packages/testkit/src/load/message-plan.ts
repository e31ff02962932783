import type { DataFormat, WechatFields } from '@wxcs/wechat';

export type MessageKind = 'text' | 'image' | 'miniprogrampage' | 'event';

/** One POST the load generator will make: a first delivery of a message or a duplicate of an earlier one. */
export interface PlannedDelivery {
  readonly seq: number;
  /** Index of the distinct message this delivery carries. */
  readonly message: number;
  readonly duplicate: boolean;
  /** A duplicate is either the earlier request byte for byte (a replay) or re-encrypted with a fresh nonce (a WeChat retry). */
  readonly identical: boolean;
}

export interface PlanOptions {
  readonly total: number;
  /** Share of deliveries that repeat an earlier message; default 0.1. */
  readonly duplicateRatio?: number;
  readonly seed?: number;
}

/** Small deterministic PRNG (mulberry32), so a plan is reproducible from its seed. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `total` deliveries of which about `duplicateRatio` repeat a recent message
 * (WeChat re-sends within seconds, so duplicates pick among the last 50).
 */
export function planDeliveries(options: PlanOptions): PlannedDelivery[] {
  const random = createRandom(options.seed ?? 1);
  const ratio = options.duplicateRatio ?? 0.1;
  const plan: PlannedDelivery[] = [];
  let messages = 0;
  for (let seq = 0; seq < options.total; seq += 1) {
    if (messages > 0 && random() < ratio) {
      const recent = Math.min(messages, 50);
      const message = messages - 1 - Math.floor(random() * recent);
      plan.push({ seq, message, duplicate: true, identical: random() < 0.5 });
    } else {
      plan.push({ seq, message: messages, duplicate: false, identical: false });
      messages += 1;
    }
  }
  return plan;
}

/** Half text, the rest images, mini program cards and session events, fixed per index. */
export function kindOf(message: number): MessageKind {
  const slot = message % 20;
  if (slot < 10) return 'text';
  if (slot < 13) return 'image';
  if (slot < 15) return 'miniprogrampage';
  return 'event';
}

export function formatOf(message: number): DataFormat {
  return message % 3 === 0 ? 'xml' : 'json';
}

/**
 * The openid that identifies a message of a run in the table. Every message
 * has its own, so "one row per message" is checked on a column the worker
 * copies verbatim, independently of the dedup key it computes.
 */
export function markerOf(runId: string, message: number): string {
  return `o${runId}_${message}`;
}

/** A MsgId above 2^53 (JSON numbers would round it), distinct per run and message. */
export function msgIdOf(runNumber: number, message: number): string {
  return (2n ** 62n + BigInt(runNumber) * 10_000_000n + BigInt(message)).toString();
}

export interface MessageContext {
  readonly runId: string;
  readonly runNumber: number;
  readonly toUserName: string;
  readonly appId: string;
  /** Seconds; WeChat's CreateTime. */
  readonly createTime: string;
}

/** The fields of message `index` of a run, shaped like the real pushes of its kind. */
export function buildMessage(context: MessageContext, index: number): WechatFields {
  const common = {
    ToUserName: context.toUserName,
    FromUserName: markerOf(context.runId, index),
    CreateTime: context.createTime,
  };
  const msgId = msgIdOf(context.runNumber, index);
  switch (kindOf(index)) {
    case 'text':
      return { ...common, MsgType: 'text', Content: `load ${index} 你好 <&> "quoted"`, MsgId: msgId };
    case 'image':
      return { ...common, MsgType: 'image', PicUrl: `http://mmbiz.qpic.cn/mmbiz_jpg/${index}/0`, MediaId: `media_${index}`, MsgId: msgId };
    case 'miniprogrampage':
      return {
        ...common,
        MsgType: 'miniprogrampage',
        MsgId: msgId,
        Title: `订单 ${index}`,
        AppId: context.appId,
        PagePath: `pages/order/detail?id=${index}`,
        ThumbUrl: '',
        ThumbMediaId: '',
      };
    case 'event':
      return { ...common, MsgType: 'event', Event: 'user_enter_tempsession', SessionFrom: `load-${index}` };
  }
}
