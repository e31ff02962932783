import { findConversationWindow, type PrismaClient } from '@wxcs/db';
import { Router } from 'express';
import { invalidField } from '../http/api-error.js';
import { decodeCursor, encodeCursor, pageOf, parseLimit } from '../http/pagination.js';
import { appOf, openidOfRoute, resolveApp } from '../http/route-context.js';
import { openidOf, type SupportApps } from '../http/support-apps.js';
import { conversationCursorSchema, conversationView, type ConversationFilter, cursorAfter as conversationCursorAfter, listConversations } from './list-conversations.js';
import { withArchives } from './message-archives.js';
import { cursorAfter as messageCursorAfter, listMessages, messageCursorSchema, messageView, type MessageOrder } from './list-messages.js';

export interface ConversationsRouterDeps {
  readonly apps: SupportApps;
  readonly prisma: PrismaClient;
  readonly now: () => Date;
}

/** `?order=`: asc (oldest first, the default) or desc; a cursor keeps the order it was made in. */
function orderOf(raw: unknown, cursorOrder: MessageOrder | undefined): MessageOrder {
  if (raw === undefined) return cursorOrder ?? 'asc';
  if (raw !== 'asc' && raw !== 'desc') throw invalidField('invalid_query', 'order', 'must be asc or desc');
  if (cursorOrder !== undefined && raw !== cursorOrder) throw invalidField('invalid_query', 'order', "must be the cursor's own order or left out");
  return raw;
}

/** `?filter=`: unanswered, or closing (the window ends within the hour); all conversations when absent. */
function filterOf(raw: unknown): ConversationFilter | undefined {
  if (raw === undefined) return undefined;
  if (raw !== 'unanswered' && raw !== 'closing') throw invalidField('invalid_query', 'filter', 'must be unanswered or closing');
  return raw;
}

const windowView = (window: { deadline: Date; repliesLeft: number } | undefined, now: Date) =>
  window === undefined
    ? null
    : { deadline: window.deadline.toISOString(), repliesLeft: window.repliesLeft, open: window.deadline > now && window.repliesLeft > 0 };

/** The inbox: conversations newest activity first, and each conversation's messages; reading works for inbound-only apps too. */
export function createConversationsRouter(deps: ConversationsRouterDeps): Router {
  const router = Router();

  router.get('/apps/:app/conversations', resolveApp(deps.apps), async (req, res) => {
    const limit = parseLimit(req.query.limit);
    const cursor = decodeCursor(req.query.cursor, conversationCursorSchema);
    const now = deps.now();
    const rows = await listConversations(deps.prisma, {
      appId: appOf(res).appId,
      take: limit + 1,
      cursor,
      filter: filterOf(req.query.filter),
      openidPrefix: req.query.openid === undefined ? undefined : openidOf(typeof req.query.openid === 'string' ? req.query.openid : ''),
      now,
    });
    const page = pageOf(rows, limit);
    res.json({
      conversations: page.rows.map((row) => conversationView(row, now)),
      nextCursor: page.last === undefined ? null : encodeCursor(conversationCursorAfter(page.last)),
    });
  });

  router.get('/apps/:app/conversations/:openid/messages', resolveApp(deps.apps), async (req, res) => {
    const limit = parseLimit(req.query.limit);
    const cursor = decodeCursor(req.query.cursor, messageCursorSchema);
    const order = orderOf(req.query.order, cursor?.order);
    const key = { appId: appOf(res).appId, openid: openidOfRoute(res) };
    const [rows, window] = await Promise.all([
      listMessages(deps.prisma, { ...key, order, take: limit + 1, cursor }),
      findConversationWindow(deps.prisma, key),
    ]);
    const page = pageOf(rows, limit);
    res.json({
      messages: await withArchives(deps.prisma, key.appId, page.rows.map(messageView)),
      window: windowView(window, deps.now()),
      nextCursor: page.last === undefined ? null : encodeCursor(messageCursorAfter(page.last, order)),
    });
  });

  return router;
}
