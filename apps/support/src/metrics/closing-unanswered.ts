import type { PrismaClient } from '@wxcs/db';
import { WINDOW_ALLOWANCES } from '@wxcs/wechat';
import { UNANSWERED_MESSAGE_SQL } from '../conversations/unanswered-sql.js';

export const CLOSING_WITHIN_MS = 60 * 60_000;
// No window outlives its latest action by more than the longest allowance, and last_activity_at is
// never older than the latest action: this bound lets the activity index find the candidates.
const LONGEST_WINDOW_MS = Math.max(...Object.values(WINDOW_ALLOWANCES).map((allowance) => allowance.withinMs));

/**
 * Per AppID, the conversations whose reply window closes within the hour
 * while a user message waits for an answer: no queued or sent reply since
 * it. Runs under its own statement timeout, so a scrape never holds a
 * connection long.
 */
export async function countClosingUnanswered(
  prisma: PrismaClient,
  input: { readonly appIds: readonly string[]; readonly now: Date; readonly statementTimeoutMs: number },
): Promise<Map<string, number>> {
  const rows = await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(input.statementTimeoutMs))}`);
    return tx.$queryRawUnsafe<{ appId: string; count: number }[]>(
      `SELECT w.app_id AS "appId", count(*)::integer AS count
       FROM conversation_window w
       WHERE w.app_id = ANY($1::text[])
         AND w.last_activity_at > $2::timestamptz - $3::integer * interval '1 millisecond'
         AND w.deadline > $2::timestamptz AND w.deadline <= $2::timestamptz + $4::integer * interval '1 millisecond'
         AND w.replies_left > 0
         AND EXISTS (SELECT 1 FROM customer_message m WHERE ${UNANSWERED_MESSAGE_SQL})
       GROUP BY w.app_id`,
      [...input.appIds],
      input.now,
      LONGEST_WINDOW_MS,
      CLOSING_WITHIN_MS,
    );
  });
  return new Map(rows.map((row) => [row.appId, row.count]));
}
