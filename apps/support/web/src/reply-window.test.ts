import { describe, expect, it } from 'vitest';
import { formatDuration, translator } from './i18n.js';
import { compareMessages, type Message } from './model.js';
import { closingSoon, describeWindow, refusalReason } from './reply-window.js';

const NOW = Date.parse('2026-12-05T10:00:00Z');
const window = (minutesLeft: number, repliesLeft: number) => ({ deadline: new Date(NOW + minutesLeft * 60_000).toISOString(), repliesLeft, open: minutesLeft > 0 && repliesLeft > 0 });

describe('the reply window as the page shows it', () => {
  it('names why WeChat would refuse, in the order WeChat checks', () => {
    expect(refusalReason(window(60, 3), false, NOW)).toBe('reasonInboundOnly');
    expect(refusalReason(null, true, NOW)).toBe('reasonNoWindow');
    expect(refusalReason(window(-1, 3), true, NOW)).toBe('reasonClosed');
    expect(refusalReason(window(60, 0), true, NOW)).toBe('reasonSpent');
    expect(refusalReason(window(60, 1), true, NOW)).toBeUndefined();
  });

  it('says the time and replies left in either language, and marks the last hour', () => {
    expect(describeWindow(window(2_832, 4), NOW, translator('en'), 'en')).toBe('47 h 12 min left · 4 replies left');
    expect(describeWindow(window(45, 1), NOW, translator('zh'), 'zh')).toBe('剩余 45分钟 · 还可回复 1 条');
    expect(describeWindow(window(45, 0), NOW, translator('en'), 'en')).toBe('Window closed');
    expect([closingSoon(window(45, 1), NOW), closingSoon(window(61, 1), NOW), closingSoon(window(45, 0), NOW)]).toEqual([true, false, false]);
    expect(formatDuration(30_500, 'en')).toBe('30 s');
  });

  it("orders messages as the API does: time, the user's before ours at the same instant, then id as a number", () => {
    const at = '2026-12-05T10:00:00.000Z';
    const message = (direction: 'inbound' | 'outbound', id: string, time = at): Message => ({ direction, id, type: 'text', time, content: {} });
    const sorted = [message('outbound', '2'), message('inbound', '10'), message('inbound', '9'), message('inbound', '1', '2026-12-05T09:59:59.000Z')].sort(compareMessages);
    expect(sorted.map((item) => `${item.direction}:${item.id}`)).toEqual(['inbound:1', 'inbound:9', 'inbound:10', 'outbound:2']);
  });
});
