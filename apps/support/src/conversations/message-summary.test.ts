import { describe, expect, it } from 'vitest';
import { SUMMARY_LENGTH, inboundSummary, replySummary } from './message-summary.js';

describe('message summaries', () => {
  it('give the text of a text, on one line, shortened by characters', () => {
    expect(inboundSummary('text', { text: ' hello\n  there ' })).toBe('hello there');
    const long = inboundSummary('text', { text: '好'.repeat(200) });
    expect(Array.from(long)).toHaveLength(SUMMARY_LENGTH);
    expect(long.endsWith('…')).toBe(true);
    expect(replySummary('text', { msgtype: 'text', text: { content: 'Your order shipped' } })).toBe('Your order shipped');
  });

  it('name what is not text', () => {
    expect(inboundSummary('image', { pic: 'http://x', media_id: 'm' })).toBe('[image]');
    expect(inboundSummary('miniprogrampage', { title: 'Order 42' })).toBe('[mini program] Order 42');
    expect(inboundSummary('event', { event: 'user_enter_tempsession' })).toBe('[event] user_enter_tempsession');
    expect(inboundSummary('voice', {})).toBe('[voice]');
    expect(replySummary('image', { msgtype: 'image', image: { media_id: 'm' } })).toBe('[image]');
    expect(replySummary('link', { msgtype: 'link', link: { title: 'Track it' } })).toBe('[link] Track it');
    expect(replySummary('miniprogrampage', { msgtype: 'miniprogrampage', miniprogrampage: { title: 'Order' } })).toBe('[mini program] Order');
  });

  it('survive stored summaries without the expected fields', () => {
    expect(inboundSummary('text', null)).toBe('');
    expect(inboundSummary('event', {})).toBe('[event]');
    expect(replySummary('text', { msgtype: 'text' })).toBe('');
  });
});
