import type { PrismaClient } from '@wxcs/db';
import { z } from 'zod';
import { inboundSummary, replySummary } from './message-summary.js';
import { UNANSWERED_MESSAGE_SQL } from './unanswered-sql.js';

/** Where the previous page ended: the index's order is (last_activity_at DESC, openid). */
export const conversationCursorSchema = z.strictObject({ k: z.literal('conversations'), at: z.iso.datetime(), openid: z.string().min(1).max(64) });
export type ConversationCursor = z.infer<typeof conversationCursorSchema>;

interface Row {
  readonly openid: string;
  readonly lastActivityAt: Date;
  readonly deadline: Date;
  readonly repliesLeft: number;
  readonly inId: string | null;
  readonly inType: string | null;
  readonly inInfo: Record<string, unknown> | null;
  readonly inTime: Date | null;
  readonly outId: string | null;
  readonly outType: string | null;
  readonly outBody: Record<string, unknown> | null;
  readonly outTime: Date | null;
  readonly outStatus: string | null;
  readonly unansweredCount: number;
}

/**
 * Each conversation of the page with, through lateral joins that each read a
 * few rows of a conversation index: its latest inbound message, its latest
 * reply, and the count of user messages no reply has answered.
 */
function listSql(conditions: readonly string[]): string {
  return `
    SELECT w.openid, w.last_activity_at AS "lastActivityAt", w.deadline, w.replies_left AS "repliesLeft",
           last_in.id::text AS "inId", last_in.msg_type AS "inType", last_in.msg_info AS "inInfo", last_in.msg_create_time AS "inTime",
           last_out.id::text AS "outId", last_out.msg_type AS "outType", last_out.body AS "outBody", last_out.created_at AS "outTime",
           last_out.status AS "outStatus", unanswered.count AS "unansweredCount"
    FROM conversation_window w
    LEFT JOIN LATERAL (
      SELECT m.id, m.msg_type, m.msg_info, m.msg_create_time FROM customer_message m
      WHERE m.app_id = w.app_id AND m.from_username = w.openid AND m.delete_time IS NULL
      ORDER BY m.msg_create_time DESC, m.id DESC LIMIT 1
    ) last_in ON true
    LEFT JOIN LATERAL (
      SELECT r.id, r.msg_type, r.body, r.created_at, r.status FROM customer_reply r
      WHERE r.app_id = w.app_id AND r.openid = w.openid
      ORDER BY r.created_at DESC, r.id DESC LIMIT 1
    ) last_out ON true
    CROSS JOIN LATERAL (SELECT count(*)::integer AS count FROM customer_message m WHERE ${UNANSWERED_MESSAGE_SQL}) unanswered
    WHERE w.app_id = $1 ${conditions.map((condition) => `AND ${condition}`).join(' ')}
    ORDER BY w.last_activity_at DESC, w.openid
    LIMIT $2`;
}

const iso = (time: Date) => time.toISOString();

/** The later of the two by the messages list's order: time, then inbound before outbound, then id. */
function lastMessageOf(row: Row) {
  const inbound =
    row.inId === null || row.inTime === null || row.inType === null
      ? undefined
      : { direction: 'inbound' as const, id: row.inId, type: row.inType, summary: inboundSummary(row.inType, row.inInfo), time: row.inTime };
  const outbound =
    row.outId === null || row.outTime === null || row.outType === null
      ? undefined
      : { direction: 'outbound' as const, id: row.outId, type: row.outType, summary: replySummary(row.outType, row.outBody), time: row.outTime, status: row.outStatus };
  const last = inbound === undefined ? outbound : outbound === undefined || inbound.time > outbound.time ? inbound : outbound;
  return last === undefined ? null : { ...last, time: iso(last.time) };
}

export function conversationView(row: Row, now: Date) {
  return {
    openid: row.openid,
    lastActivityAt: iso(row.lastActivityAt),
    lastMessage: lastMessageOf(row),
    unansweredCount: row.unansweredCount,
    window: { deadline: iso(row.deadline), repliesLeft: row.repliesLeft, open: row.deadline > now && row.repliesLeft > 0 },
  };
}

export type ConversationView = ReturnType<typeof conversationView>;

/** The inbox's filters: conversations with unanswered messages, or whose window closes within the hour. */
export type ConversationFilter = 'unanswered' | 'closing';
export const CLOSING_WITHIN_MS = 3_600_000;

export interface ConversationQuery {
  readonly appId: string;
  readonly take: number;
  readonly cursor: ConversationCursor | undefined;
  readonly filter?: ConversationFilter | undefined;
  /** Conversations whose openid starts with this (the openid pattern has no LIKE wildcard but `_`, escaped). */
  readonly openidPrefix?: string | undefined;
  readonly now?: Date;
}

/** Up to `take` conversations of the app after `cursor`, newest activity first. */
export async function listConversations(prisma: PrismaClient, input: ConversationQuery): Promise<Row[]> {
  const params: unknown[] = [input.appId, input.take];
  const param = (value: unknown) => `$${params.push(value)}`;
  const conditions: string[] = [];
  const { cursor } = input;
  if (cursor !== undefined) {
    const at = param(new Date(cursor.at));
    conditions.push(`w.last_activity_at <= ${at}::timestamptz AND (w.last_activity_at < ${at}::timestamptz OR w.openid > ${param(cursor.openid)})`);
  }
  if (input.openidPrefix !== undefined) conditions.push(`w.openid LIKE ${param(`${input.openidPrefix.replace(/[\\_%]/g, '\\$&')}%`)}`);
  if (input.filter === 'unanswered') conditions.push('unanswered.count > 0');
  if (input.filter === 'closing') {
    const now = input.now ?? new Date();
    conditions.push(`w.replies_left > 0 AND w.deadline > ${param(now)}::timestamptz AND w.deadline <= ${param(new Date(now.getTime() + CLOSING_WITHIN_MS))}::timestamptz`);
  }
  return prisma.$queryRawUnsafe<Row[]>(listSql(conditions), ...params);
}

export const cursorAfter = (row: Row): ConversationCursor => ({ k: 'conversations', at: iso(row.lastActivityAt), openid: row.openid });
