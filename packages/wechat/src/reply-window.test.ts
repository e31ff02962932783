import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeMessage } from './normalize-message.js';
import {
  checkReply,
  openWindow,
  spendReply,
  windowActionOf,
  type ReplyWindow,
  type WindowAction,
} from './reply-window.js';
import { sampleMessage } from './testing/sample-messages.js';

const HOUR = 60 * 60 * 1000;
const t0 = new Date('2026-01-01T00:00:00.000Z');
const after = (ms: number) => new Date(t0.getTime() + ms);

/** Replies until refused, at `now`; returns how many were allowed and the refusal. */
function replyUntilRefused(window: ReplyWindow | undefined, now: Date): { sent: number; reason: string } {
  let state = window;
  for (let sent = 0; ; sent += 1) {
    const check = checkReply(state, now);
    if (!check.ok) return { sent, reason: check.reason };
    state = spendReply(state as ReplyWindow);
  }
}

describe('the reply window', () => {
  it('allows 5 replies within 48 hours of a user message', () => {
    const window = openWindow(undefined, 'message', t0);
    expect(window).toEqual({ deadline: after(48 * HOUR), repliesLeft: 5 });
    expect(replyUntilRefused(window, after(47 * HOUR))).toEqual({ sent: 5, reason: 'reply_quota_spent' });
    expect(checkReply(window, after(48 * HOUR))).toEqual({ ok: false, reason: 'reply_window_closed' });
    expect(checkReply(window, after(48 * HOUR - 1))).toEqual({ ok: true });
  });

  it('allows 2 replies within a minute of a session entry', () => {
    const window = openWindow(undefined, 'session_entry', t0);
    expect(window).toEqual({ deadline: after(60_000), repliesLeft: 2 });
    expect(replyUntilRefused(window, after(59_999))).toEqual({ sent: 2, reason: 'reply_quota_spent' });
    expect(checkReply(window, after(60_000))).toEqual({ ok: false, reason: 'reply_window_closed' });
  });

  it('refuses a conversation that never opened a window', () => {
    expect(checkReply(undefined, t0)).toEqual({ ok: false, reason: 'reply_window_closed' });
  });

  it('reports a closed window before a spent quota', () => {
    expect(checkReply({ deadline: t0, repliesLeft: 0 }, after(1))).toEqual({ ok: false, reason: 'reply_window_closed' });
  });

  it('does not add allowances up: a session entry after a message resets the count to 2 and keeps the later deadline', () => {
    const afterMessage = openWindow(undefined, 'message', t0);
    const afterEntry = openWindow(afterMessage, 'session_entry', after(HOUR));
    expect(afterEntry).toEqual({ deadline: after(48 * HOUR), repliesLeft: 2 });
  });

  it('resets a spent count to the new action’s maximum', () => {
    const spent = { deadline: after(HOUR), repliesLeft: 0 };
    expect(openWindow(spent, 'message', after(HOUR / 2))).toEqual({ deadline: after(48 * HOUR + HOUR / 2), repliesLeft: 5 });
    expect(openWindow(spent, 'session_entry', after(HOUR / 2))).toEqual({ deadline: after(HOUR), repliesLeft: 2 });
  });

  it('refuses to spend what is not there and to open on an invalid date', () => {
    expect(() => spendReply({ deadline: after(HOUR), repliesLeft: 0 })).toThrow(RangeError);
    expect(() => openWindow(undefined, 'message', new Date(Number.NaN))).toThrow(RangeError);
  });

  // A reference stated over the whole history instead of a running state: a reply at t is allowed
  // when t is before the latest deadline any earlier action gave, and fewer replies were allowed
  // since the last action than that action's maximum.
  it('agrees with the rule stated over the history, for any interleaving of actions and replies', () => {
    const step = fc.record({
      gapMs: fc.integer({ min: 0, max: 50 * HOUR }),
      kind: fc.constantFrom<WindowAction | 'reply'>('message', 'session_entry', 'reply', 'reply', 'reply'),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let state: ReplyWindow | undefined;
        let now = t0.getTime();
        let latestDeadline = -Infinity;
        let lastMaximum = 0;
        let allowedSinceLast = 0;
        for (const { gapMs, kind } of steps) {
          now += gapMs % 3 === 0 ? gapMs : gapMs % 90_000;
          if (kind === 'reply') {
            const expected = now < latestDeadline && allowedSinceLast < lastMaximum;
            const check = checkReply(state, new Date(now));
            expect(check.ok).toBe(expected);
            if (check.ok) {
              state = spendReply(state as ReplyWindow);
              allowedSinceLast += 1;
            } else {
              expect(check.reason).toBe(now >= latestDeadline ? 'reply_window_closed' : 'reply_quota_spent');
            }
          } else {
            state = openWindow(state, kind, new Date(now));
            latestDeadline = Math.max(latestDeadline, now + (kind === 'message' ? 48 * HOUR : 60_000));
            lastMaximum = kind === 'message' ? 5 : 2;
            allowedSinceLast = 0;
          }
        }
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('windowActionOf', () => {
  const at = new Date(1714112445 * 1000);

  it('counts text, images and mini program cards as the user sending a message, at WeChat’s CreateTime', () => {
    for (const name of ['text', 'image', 'miniprogrampage'] as const) {
      expect(windowActionOf(normalizeMessage(sampleMessage(name)))).toEqual({ action: 'message', at });
    }
  });

  it('counts user_enter_tempsession as a session entry', () => {
    expect(windowActionOf(normalizeMessage(sampleMessage('event')))).toEqual({ action: 'session_entry', at });
  });

  it('opens nothing for other events and unknown message types', () => {
    const popup = normalizeMessage({ ...sampleMessage('event'), Event: 'subscribe_msg_popup_event' });
    const voice = normalizeMessage({ ...sampleMessage('text'), MsgType: 'voice' });
    expect(windowActionOf(popup)).toBeUndefined();
    expect(windowActionOf(voice)).toBeUndefined();
  });
});
