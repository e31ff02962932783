import fc from 'fast-check';
import { applyAction, checkReply, recordReply, type ConversationWindow, type WindowAction } from '@wxcs/wechat';
import { describe, expect } from 'vitest';
import { databaseTest } from '../testing/index.js';
import { newMessage } from '../testing/new-message.js';
import { findConversationWindow, openConversationWindow } from './conversation-window.js';
import { insertMessages } from './insert-messages.js';
import { reserveReply } from './replies.js';

const test = databaseTest('conversation-window');

const HOUR = 3_600_000;
const t0 = new Date('2026-03-01T08:00:00.000Z');
const after = (ms: number) => new Date(t0.getTime() + ms);

const userMessage = (appId: string, openid: string, at: Date, overrides = {}) =>
  newMessage({ appId, fromUsername: openid, msgCreateTime: at, ...overrides });
const sessionEntry = (appId: string, openid: string, at: Date) =>
  userMessage(appId, openid, at, { msgType: 'event', msgInfo: { event: 'user_enter_tempsession' } });

describe('storing messages opens their conversations’ windows', () => {
  test('a user message allows 5 replies for 48 hours, a session entry 2 for a minute, other messages nothing', async ({ db }) => {
    await insertMessages(db.prisma, [
      userMessage('wx_open', 'o_text', t0),
      sessionEntry('wx_open', 'o_entry', t0),
      userMessage('wx_open', 'o_voice', t0, { msgType: 'voice' }),
      userMessage('wx_open', 'o_popup', t0, { msgType: 'event', msgInfo: { event: 'subscribe_msg_popup_event' } }),
    ]);
    expect(await findConversationWindow(db.prisma, { appId: 'wx_open', openid: 'o_text' })).toMatchObject({ deadline: after(48 * HOUR), repliesLeft: 5 });
    expect(await findConversationWindow(db.prisma, { appId: 'wx_open', openid: 'o_entry' })).toMatchObject({ deadline: after(60_000), repliesLeft: 2 });
    expect(await findConversationWindow(db.prisma, { appId: 'wx_open', openid: 'o_voice' })).toBeUndefined();
    expect(await findConversationWindow(db.prisma, { appId: 'wx_open', openid: 'o_popup' })).toBeUndefined();
  });

  test('a duplicate delivery restores nothing, and a late older message resets nothing', async ({ db }) => {
    const conversation = { appId: 'wx_dup', openid: 'o_user' };
    const first = userMessage('wx_dup', 'o_user', t0);
    const older = userMessage('wx_dup', 'o_user', after(-HOUR));
    await insertMessages(db.prisma, [first]);
    const reserve = (now: Date) =>
      reserveReply(db.prisma, { ...conversation, msgType: 'text', body: { msgtype: 'text', text: { content: 'hi' } }, sentBy: 'test', now });
    for (let index = 0; index < 5; index += 1) expect((await reserve(after(1_000))).outcome).toBe('queued');
    expect(await insertMessages(db.prisma, [first])).toEqual(['duplicate']);
    expect(await insertMessages(db.prisma, [older])).toEqual(['inserted']);
    expect(await reserve(after(2_000))).toEqual({ outcome: 'refused', reason: 'reply_quota_spent' });
    expect(await findConversationWindow(db.prisma, conversation)).toMatchObject({ repliesLeft: 0, lastActionAt: t0 });
  });

  test('a message stored after replies made since it counts them', async ({ db }) => {
    const conversation = { appId: 'wx_lag', openid: 'o_user' };
    await insertMessages(db.prisma, [userMessage('wx_lag', 'o_user', t0)]);
    const reserve = (now: Date) =>
      reserveReply(db.prisma, { ...conversation, msgType: 'text', body: { msgtype: 'text', text: { content: 'hi' } }, sentBy: 'test', now });
    await reserve(after(10_000));
    await reserve(after(30_000));
    // The user wrote again at +20 s; the worker stores it only now, after the reply at +30 s.
    await insertMessages(db.prisma, [userMessage('wx_lag', 'o_user', after(20_000))]);
    expect(await findConversationWindow(db.prisma, conversation)).toMatchObject({ repliesLeft: 4, lastActionAt: after(20_000) });
  });

  test('several messages of one conversation in one batch fold into the latest, with the latest deadline', async ({ db }) => {
    await insertMessages(db.prisma, [
      sessionEntry('wx_fold', 'o_user', after(HOUR)),
      userMessage('wx_fold', 'o_user', t0),
      userMessage('wx_fold', 'o_other', t0),
    ]);
    expect(await findConversationWindow(db.prisma, { appId: 'wx_fold', openid: 'o_user' })).toEqual({
      deadline: after(48 * HOUR),
      repliesLeft: 2,
      lastActionAt: after(HOUR),
      recentReplyTimes: [],
    });
    const activity = await db.prisma.conversationWindow.findMany({ where: { appId: 'wx_fold' }, orderBy: { openid: 'asc' } });
    expect(activity.map((row) => [row.openid, row.lastActivityAt])).toEqual([
      ['o_other', t0],
      ['o_user', after(HOUR)],
    ]);
  });
});

describe('the stored window follows applyAction and recordReply', () => {
  // Whatever order actions and replies come in, and however late, the row
  // the SQL keeps is the window the pure rule computes.
  test('for any sequence of late actions and replies', async ({ db }) => {
    const step = fc.record({
      kind: fc.constantFrom<WindowAction | 'reply'>('message', 'session_entry', 'reply', 'reply'),
      // Actions may be older than what is known already; replies happen at "now".
      offsetS: fc.integer({ min: -7_200, max: 0 }),
      advanceS: fc.integer({ min: 0, max: 120 }),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        run += 1;
        const conversation = { appId: 'wx_rule', openid: `o_${run}` };
        let model: ConversationWindow | undefined;
        let now = t0.getTime();
        for (const { kind, offsetS, advanceS } of steps) {
          now += advanceS * 1_000;
          if (kind === 'reply') {
            const reserved = await reserveReply(db.prisma, {
              ...conversation,
              msgType: 'text',
              body: { msgtype: 'text', text: { content: 'hi' } },
              sentBy: 'test',
              now: new Date(now),
            });
            const allowed = checkReply(model, new Date(now)).ok;
            expect(reserved.outcome).toBe(allowed ? 'queued' : 'refused');
            if (allowed && model) model = recordReply(model, new Date(now));
          } else {
            const at = new Date(now + offsetS * 1_000);
            await openConversationWindow(db.prisma, { ...conversation, action: kind, at });
            model = applyAction(model, kind, at);
          }
          expect(await findConversationWindow(db.prisma, conversation)).toEqual(model);
        }
      }),
      { numRuns: 25 },
    );
  });
});

