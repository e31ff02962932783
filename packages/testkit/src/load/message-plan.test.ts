import { normalizeMessage, dedupKey } from '@wxcs/wechat';
import { describe, expect, it } from 'vitest';
import { buildMessage, kindOf, markerOf, msgIdOf, planDeliveries } from './message-plan.js';

const context = { runId: 'abc123', runNumber: 0xabc123, toUserName: 'gh_1', appId: 'wx8d3c1f0a9b2e4d67', createTime: '1714112445' };

describe('planDeliveries', () => {
  it('repeats about the requested share of messages, only ever ones already sent', () => {
    const plan = planDeliveries({ total: 10_000, duplicateRatio: 0.1, seed: 7 });
    const duplicates = plan.filter((delivery) => delivery.duplicate);
    expect(duplicates.length / plan.length).toBeGreaterThan(0.08);
    expect(duplicates.length / plan.length).toBeLessThan(0.12);
    let seen = -1;
    for (const delivery of plan) {
      if (delivery.duplicate) expect(delivery.message).toBeLessThanOrEqual(seen);
      else expect(delivery.message).toBe((seen += 1));
    }
    expect(plan.map((delivery) => delivery.seq)).toEqual(plan.map((_d, i) => i));
  });

  it('is reproducible from its seed and varies with it', () => {
    expect(planDeliveries({ total: 500, seed: 3 })).toEqual(planDeliveries({ total: 500, seed: 3 }));
    expect(planDeliveries({ total: 500, seed: 3 })).not.toEqual(planDeliveries({ total: 500, seed: 4 }));
  });

  it('sends no duplicates at ratio 0 and never starts with one', () => {
    expect(planDeliveries({ total: 300, duplicateRatio: 0 }).some((d) => d.duplicate)).toBe(false);
    expect(planDeliveries({ total: 1, duplicateRatio: 1 })[0]?.duplicate).toBe(false);
  });
});

describe('buildMessage', () => {
  const messages = Array.from({ length: 2_000 }, (_unused, index) => normalizeMessage(buildMessage(context, index)));

  it('gives every message its own dedup key and its own marker', () => {
    expect(new Set(messages.map(dedupKey)).size).toBe(messages.length);
    expect(new Set(messages.map((message) => message.fromUserName)).size).toBe(messages.length);
    expect(messages[5]?.fromUserName).toBe(markerOf('abc123', 5));
  });

  it('mixes the four customer-service kinds, with MsgIds beyond 2^53', () => {
    const kinds = new Set(messages.map((message) => message.msgType));
    expect([...kinds].sort()).toEqual(['event', 'image', 'miniprogrampage', 'text']);
    expect(kindOf(0)).toBe('text');
    const ids = messages.flatMap((message) => (message.msgId === undefined ? [] : [BigInt(message.msgId)]));
    expect(ids.every((id) => id > 2n ** 53n)).toBe(true);
    expect(msgIdOf(1, 2)).not.toBe(msgIdOf(2, 2));
  });
});
