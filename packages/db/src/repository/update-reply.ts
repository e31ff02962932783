import type { CustomerReply } from './customer-reply.js';
import { REPLY_FIELDS_SQL } from './customer-reply-columns.js';
import type { Queryable } from './insert-messages.js';

// The bigint id as text; anything else cannot be a reply and matches nothing.
const REPLY_ID = /^[1-9][0-9]{0,18}$/;

export const isReplyId = (id: string): boolean => REPLY_ID.test(id);

/**
 * Runs one `UPDATE customer_reply … WHERE id = $1::bigint …` and returns the
 * row as it is after it, or undefined when the id cannot be a reply or the
 * statement's own conditions left the row alone.
 */
export async function updateReply(prisma: Queryable, sql: string, id: string, ...parameters: unknown[]): Promise<CustomerReply | undefined> {
  if (!isReplyId(id)) return undefined;
  const [row] = await prisma.$queryRawUnsafe<CustomerReply[]>(`${sql} RETURNING ${REPLY_FIELDS_SQL}`, id, ...parameters);
  return row;
}
