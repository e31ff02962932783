import { checkReply, recordReply, type ReplyRefusal } from '@wxcs/wechat';
import type { PrismaClient } from '../generated/prisma/client.js';
import { lockConversationWindow, writeReplyToWindow, type ConversationKey } from './conversation-window.js';
import type { CustomerReply, ReplyBody } from './customer-reply.js';
import { INSERT_REPLY_SQL, REPLY_FIELDS_SQL, insertParameters } from './customer-reply-columns.js';
import type { Queryable } from './insert-messages.js';
import { isReplyId, updateReply } from './update-reply.js';

export interface ReserveReplyInput extends ConversationKey {
  readonly idempotencyKey?: string;
  readonly msgType: string;
  readonly body: ReplyBody;
  readonly sentBy: string;
  readonly now: Date;
}

export type ReserveReplyResult =
  | { readonly outcome: 'queued'; readonly reply: CustomerReply }
  /** The idempotency key was used before: the first reply, unchanged, and nothing spent. */
  | { readonly outcome: 'repeated'; readonly reply: CustomerReply }
  | { readonly outcome: 'refused'; readonly reason: ReplyRefusal };

/**
 * Stores a reply as queued if the conversation's window allows it, spending
 * one reply of the window, all in one transaction.
 *
 * The window row is locked first, so replies to one conversation take turns
 * and a repeated key is looked up only after the first reply with it has
 * committed. The key is looked up before the window is checked: a caller
 * retrying after the window closed gets its reply back, not a refusal. A
 * repeat for another conversation of the same app holds another lock; there
 * the unique index decides, and the loser spends nothing.
 */
export async function reserveReply(prisma: PrismaClient, input: ReserveReplyInput): Promise<ReserveReplyResult> {
  return prisma.$transaction(async (tx) => {
    const window = await lockConversationWindow(tx, input);
    const idempotencyKey = input.idempotencyKey ?? null;
    if (idempotencyKey !== null) {
      const first = await findReplyByKey(tx, input.appId, idempotencyKey);
      if (first !== undefined) return { outcome: 'repeated', reply: first };
    }
    const check = checkReply(window, input.now);
    if (!check.ok) return { outcome: 'refused', reason: check.reason };
    // checkReply allows nothing without a window; this only tells the compiler.
    if (window === undefined) throw new Error('checkReply allowed a reply without a window');

    const [reply] = await tx.$queryRawUnsafe<CustomerReply[]>(
      INSERT_REPLY_SQL,
      ...insertParameters({ ...input, idempotencyKey, createdAt: input.now }),
    );
    if (reply === undefined) {
      const first = idempotencyKey === null ? undefined : await findReplyByKey(tx, input.appId, idempotencyKey);
      if (first === undefined) throw new Error('customer_reply insert returned no row without a conflicting key');
      return { outcome: 'repeated', reply: first };
    }
    await writeReplyToWindow(tx, input, recordReply(window, input.now), input.now);
    return { outcome: 'queued', reply };
  });
}

async function findReplyByKey(tx: Queryable, appId: string, idempotencyKey: string): Promise<CustomerReply | undefined> {
  const [row] = await tx.$queryRawUnsafe<CustomerReply[]>(
    `SELECT ${REPLY_FIELDS_SQL} FROM customer_reply WHERE app_id = $1 AND idempotency_key = $2`,
    appId,
    idempotencyKey,
  );
  return row;
}

/** The reply with this id, or undefined (also for an id that cannot be one). */
export async function findReply(prisma: Queryable, id: string): Promise<CustomerReply | undefined> {
  if (!isReplyId(id)) return undefined;
  const [row] = await prisma.$queryRawUnsafe<CustomerReply[]>(
    `SELECT ${REPLY_FIELDS_SQL} FROM customer_reply WHERE id = $1::bigint`,
    id,
  );
  return row;
}

/** WeChat's answer to a send: `rid` is the request id its errmsg carries, to quote to WeChat support. */
export interface SendAnswer {
  readonly id: string;
  readonly at: Date;
  readonly errcode?: number;
  readonly errmsg?: string;
  readonly rid?: string;
}

/**
 * Ends a queued reply as sent. Only a queued reply changes, in one
 * statement: undefined means it was not queued (already ended, or no such
 * reply), so a late or repeated answer cannot overwrite the first.
 */
export async function markReplySent(prisma: Queryable, answer: SendAnswer): Promise<CustomerReply | undefined> {
  return endReply(prisma, 'sent', answer);
}

/** Ends a queued reply as failed with WeChat's code and message; like markReplySent, only from queued. */
export async function markReplyFailed(
  prisma: Queryable,
  answer: SendAnswer & { readonly errcode: number; readonly errmsg: string },
): Promise<CustomerReply | undefined> {
  return endReply(prisma, 'failed', answer);
}

function endReply(prisma: Queryable, status: 'sent' | 'failed', answer: SendAnswer): Promise<CustomerReply | undefined> {
  return updateReply(
    prisma,
    `UPDATE customer_reply
     SET status = $2, ${status === 'sent' ? 'sent_at' : 'failed_at'} = $3::timestamptz,
         errcode = $4::integer, errmsg = $5, rid = $6
     WHERE id = $1::bigint AND status = 'queued'`,
    answer.id,
    status,
    answer.at,
    answer.errcode ?? null,
    answer.errmsg ?? null,
    answer.rid ?? null,
  );
}
