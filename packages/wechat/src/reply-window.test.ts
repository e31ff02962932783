import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeMessage } from './normalize-message.js';
import {
  checkReply,
  MAX_REPLIES_PER_ACTION,
  applyAction,
  openWindow,
  recordReply,
  spendReply,
  windowActionOf,
  type ConversationWindow,
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

describe('applyAction', () => {
  const truthAt = (history: { at: number; kind: WindowAction }[], replies: number[], now: number) => {
    const known = history.filter((action) => action.at <= now);
    const deadline = Math.max(-Infinity, ...known.map((action) => action.at + (action.kind === 'message' ? 48 * HOUR : 60_000)));
    const last = known.reduce<{ at: number; kind: WindowAction } | undefined>((latest, action) => (!latest || action.at >= latest.at ? action : latest), undefined);
    if (!last || now >= deadline) return false;
    const maximum = known.filter((action) => action.at === last.at).reduce((least, action) => Math.min(least, action.kind === 'message' ? 5 : 2), 5);
    return replies.filter((time) => time >= last.at).length < maximum;
  };

  // WeChat counts from each action; we learn of an action only when its message is stored,
  // maybe after replies made since it and after later actions. Whatever the delays, a reply is
  // allowed exactly when WeChat's rule over the actions known by then allows it; with no delay
  // those are all the actions, so it is exactly WeChat's decision.
  it('decides as WeChat’s rule over the actions known so far, however late they reach it', () => {
    const event = fc.record({
      gapMs: fc.integer({ min: 0, max: 50 * HOUR }),
      kind: fc.constantFrom<WindowAction | 'reply'>('message', 'session_entry', 'reply', 'reply', 'reply'),
      delayMs: fc.constantFrom(0, 0, 1_000, 30_000, 3 * HOUR),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), fc.boolean(), (events, instant) => {
        const arrivals: { arrives: number; order: number; at: number; kind: WindowAction | 'reply' }[] = [];
        let now = t0.getTime();
        events.forEach(({ gapMs, kind, delayMs }, order) => {
          // Whole seconds apart, as WeChat's CreateTime: what happened in the same second has no order.
          now += 1_000 + (Math.floor(gapMs / 1_000) * 1_000) % (gapMs % 3 === 0 ? 50 * HOUR : 90_000);
          arrivals.push({ arrives: kind === 'reply' || instant ? now : now + delayMs, order, at: now, kind });
        });
        arrivals.sort((a, b) => a.arrives - b.arrives || a.order - b.order);
        let state: ConversationWindow | undefined;
        const known: { at: number; kind: WindowAction }[] = [];
        const replies: number[] = [];
        for (const arrival of arrivals) {
          if (arrival.kind !== 'reply') {
            state = applyAction(state, arrival.kind, new Date(arrival.at));
            known.push({ at: arrival.at, kind: arrival.kind });
            continue;
          }
          const allowed = checkReply(state, new Date(arrival.at)).ok;
          expect(allowed).toBe(truthAt(known, replies, arrival.at));
          if (allowed) {
            state = recordReply(state as ConversationWindow, new Date(arrival.at));
            replies.push(arrival.at);
          }
        }
      }),
      { numRuns: 2_000 },
    );
  });

  // What no rule on our side can know: WeChat lowered the count at an action we have not
  // stored yet. The reply goes out and WeChat refuses it with 45047, recorded on the reply.
  it('allows what a session entry not yet known has taken away', () => {
    let state = applyAction(undefined, 'message', t0);
    const entryAt = after(1_000);
    for (let index = 2; index <= 4; index += 1) state = recordReply(state, after(index * 1_000));
    expect(checkReply(state, after(5_000))).toEqual({ ok: true });
    // Once the entry is known, the two replies it allowed are spent, and so is the window's count.
    state = applyAction(state, 'session_entry', entryAt);
    expect(checkReply(state, after(5_000))).toEqual({ ok: false, reason: 'reply_quota_spent' });
  });

  it('keeps only the latest replies it may need', () => {
    let state = applyAction(undefined, 'message', t0);
    for (let index = 1; index <= 5; index += 1) state = recordReply(state, after(index));
    state = applyAction(state, 'message', after(10));
    for (let index = 11; index <= 15; index += 1) state = recordReply(state, after(index));
    expect(state.recentReplyTimes).toEqual([11, 12, 13, 14, 15].map(after));
    expect(state.recentReplyTimes).toHaveLength(MAX_REPLIES_PER_ACTION);
  });
});

describe('windowActionOf', () => {
  it('counts text, images and mini program cards as the user sending a message', () => {
    for (const name of ['text', 'image', 'miniprogrampage'] as const) {
      const message = normalizeMessage(sampleMessage(name));
      expect(windowActionOf({ msgType: message.kind })).toBe('message');
    }
  });

  it('counts user_enter_tempsession as a session entry', () => {
    expect(windowActionOf({ msgType: 'event', event: 'user_enter_tempsession' })).toBe('session_entry');
  });

  it('opens nothing for other events and unknown message types', () => {
    expect(windowActionOf({ msgType: 'event', event: 'subscribe_msg_popup_event' })).toBeUndefined();
    expect(windowActionOf({ msgType: 'event' })).toBeUndefined();
    expect(windowActionOf({ msgType: 'voice' })).toBeUndefined();
  });
});
