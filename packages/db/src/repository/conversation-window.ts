import { openWindow, type ReplyWindow, type WindowAction } from '@wxcs/wechat';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Queryable } from './insert-messages.js';

export interface ConversationKey {
  readonly appId: string;
  readonly openid: string;
}

const WINDOW_FIELDS_SQL = 'deadline, replies_left AS "repliesLeft"';

/** The conversation's window, or undefined if the user never opened one. */
export async function findConversationWindow(prisma: Queryable, key: ConversationKey): Promise<ReplyWindow | undefined> {
  const [row] = await prisma.$queryRawUnsafe<ReplyWindow[]>(
    `SELECT ${WINDOW_FIELDS_SQL} FROM conversation_window WHERE app_id = $1 AND openid = $2`,
    key.appId,
    key.openid,
  );
  return row;
}

/**
 * The window, locked until the transaction ends: every change to one
 * conversation's allowance goes through this lock, so concurrent callers
 * take turns instead of spending the same reply twice.
 */
export async function lockConversationWindow(tx: Queryable, key: ConversationKey): Promise<ReplyWindow | undefined> {
  const [row] = await tx.$queryRawUnsafe<ReplyWindow[]>(
    `SELECT ${WINDOW_FIELDS_SQL} FROM conversation_window WHERE app_id = $1 AND openid = $2 FOR UPDATE`,
    key.appId,
    key.openid,
  );
  return row;
}

export async function writeConversationWindow(tx: Queryable, key: ConversationKey, window: ReplyWindow): Promise<void> {
  await tx.$queryRawUnsafe(
    `UPDATE conversation_window SET deadline = $3::timestamptz, replies_left = $4::integer, updated_at = now()
     WHERE app_id = $1 AND openid = $2`,
    key.appId,
    key.openid,
    window.deadline,
    window.repliesLeft,
  );
}

/**
 * Applies a user's message or session entry to the conversation's window
 * (the rule is `openWindow` of @wxcs/wechat) and returns the window after it.
 * The first action inserts the row; a concurrent first action waits on that
 * insert and then updates the row under its lock like any later one.
 */
export async function openConversationWindow(
  prisma: PrismaClient,
  input: ConversationKey & { readonly action: WindowAction; readonly at: Date },
): Promise<ReplyWindow> {
  return prisma.$transaction(async (tx) => {
    const fresh = openWindow(undefined, input.action, input.at);
    const inserted = await tx.$queryRawUnsafe<ReplyWindow[]>(
      `INSERT INTO conversation_window (app_id, openid, deadline, replies_left, updated_at)
       VALUES ($1, $2, $3::timestamptz, $4::integer, now())
       ON CONFLICT (app_id, openid) DO NOTHING
       RETURNING ${WINDOW_FIELDS_SQL}`,
      input.appId,
      input.openid,
      fresh.deadline,
      fresh.repliesLeft,
    );
    if (inserted.length === 1) return fresh;
    const current = await lockConversationWindow(tx, input);
    const next = openWindow(current, input.action, input.at);
    await writeConversationWindow(tx, input, next);
    return next;
  });
}
