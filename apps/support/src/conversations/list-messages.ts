import type { PrismaClient } from '@wxcs/db';
import { z } from 'zod';

export type MessageOrder = 'asc' | 'desc';

/**
 * A conversation's messages in one order: time (WeChat's CreateTime for a
 * user's message, our creation time for a reply), then inbound before
 * outbound at the same instant, then id within each table. The triple is
 * unique, so pages neither repeat nor skip a message.
 */
export const messageCursorSchema = z.strictObject({
  k: z.literal('messages'),
  order: z.enum(['asc', 'desc']),
  at: z.iso.datetime(),
  rank: z.union([z.literal(0), z.literal(1)]),
  id: z.string().regex(/^[1-9][0-9]{0,18}$/),
});
export type MessageCursor = z.infer<typeof messageCursorSchema>;

const INBOUND = 0;
const OUTBOUND = 1;

interface Row {
  readonly rank: number;
  readonly id: string;
  readonly time: Date;
  readonly type: string;
  readonly content: Record<string, unknown> | null;
  readonly status: string | null;
  readonly errcode: number | null;
  readonly errmsg: string | null;
  readonly rid: string | null;
  readonly sentBy: string | null;
  readonly sentAt: Date | null;
  readonly failedAt: Date | null;
}

/**
 * One table's side of the page, in the page's order, after the cursor
 * ($3 time, $4 rank, $5 id). The redundant `time >=` (or `<=`) bound lets
 * the conversation index start at the cursor.
 */
function after(time: string, rank: number, order: MessageOrder): string {
  const op = order === 'asc' ? '>' : '<';
  return `AND ${time} ${op}= $3::timestamptz
    AND (${time} ${op} $3::timestamptz OR ${rank} ${op} $4::integer OR (${rank} = $4::integer AND id ${op} $5::bigint))`;
}

function listSql(order: MessageOrder): string {
  const dir = order === 'asc' ? 'ASC' : 'DESC';
  return `
    SELECT rank, id::text AS id, time, type, content, status, errcode, errmsg, rid, "sentBy", "sentAt", "failedAt"
    FROM (
      (SELECT ${INBOUND} AS rank, id, msg_create_time AS time, msg_type AS type, msg_info AS content,
              NULL::text AS status, NULL::integer AS errcode, NULL::text AS errmsg, NULL::text AS rid,
              NULL::text AS "sentBy", NULL::timestamptz AS "sentAt", NULL::timestamptz AS "failedAt"
       FROM customer_message
       WHERE app_id = $1 AND from_username = $2 AND delete_time IS NULL ${after('msg_create_time', INBOUND, order)}
       ORDER BY msg_create_time ${dir}, id ${dir} LIMIT $6)
      UNION ALL
      (SELECT ${OUTBOUND}, id, created_at, msg_type, body -> msg_type, status, errcode, errmsg, rid, sent_by, sent_at, failed_at
       FROM customer_reply
       WHERE app_id = $1 AND openid = $2 ${after('created_at', OUTBOUND, order)}
       ORDER BY created_at ${dir}, id ${dir} LIMIT $6)
    ) AS merged
    ORDER BY time ${dir}, rank ${dir}, merged.id ${dir}
    LIMIT $6`;
}

/** Without a cursor, a position before every message in the page's order: one statement serves both. */
const BEFORE_ALL: Record<MessageOrder, { at: string; rank: number; id: string }> = {
  asc: { at: '-infinity', rank: -1, id: '0' },
  desc: { at: 'infinity', rank: 2, id: '0' },
};

const iso = (time: Date | null) => (time === null ? null : time.toISOString());

/**
 * A message as the API shows it. `content` is the stored summary: for a
 * user's message its msg_info (text: `{text}`; image: `{pic, media_id}`;
 * miniprogrampage: `{title, app_id, page_path, thumb_url, thumb_media_id}`;
 * event: `{event, …}`), for a reply its body's part in WeChat's shape
 * (text: `{content}`; image: `{media_id}`; link: `{title, description, url,
 * thumb_url}`; miniprogrampage: `{title, pagepath, thumb_media_id}`).
 */
export function messageView(row: Row) {
  const common = { id: row.id, type: row.type, time: iso(row.time), content: row.content ?? {} };
  if (row.rank === INBOUND) return { direction: 'inbound' as const, ...common };
  return {
    direction: 'outbound' as const,
    ...common,
    status: row.status,
    errcode: row.errcode,
    errmsg: row.errmsg,
    rid: row.rid,
    sentBy: row.sentBy,
    sentAt: iso(row.sentAt),
    failedAt: iso(row.failedAt),
  };
}

/** Up to `take` messages of one conversation after `cursor`, in `order`. */
export async function listMessages(
  prisma: PrismaClient,
  input: { readonly appId: string; readonly openid: string; readonly order: MessageOrder; readonly take: number; readonly cursor: MessageCursor | undefined },
): Promise<Row[]> {
  const position = input.cursor ?? BEFORE_ALL[input.order];
  return prisma.$queryRawUnsafe<Row[]>(listSql(input.order), input.appId, input.openid, position.at, position.rank, position.id, input.take);
}

export const cursorAfter = (row: Row, order: MessageOrder): MessageCursor => ({
  k: 'messages',
  order,
  at: row.time.toISOString(),
  rank: row.rank === INBOUND ? 0 : 1,
  id: row.id,
});
