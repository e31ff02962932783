import type { CustomerReply } from './customer-reply.js';
import { REPLY_FIELDS_SQL } from './customer-reply-columns.js';
import type { Queryable } from './insert-messages.js';
import { updateReply } from './update-reply.js';

/**
 * Takes the reply's send claim: sets `sending_since` if the reply is queued
 * and nobody holds the claim, in one statement, so of two workers (replicas,
 * or a rerun racing its first attempt) exactly one gets the row back. Only
 * the holder may call WeChat. A claim stays set when its holder dies; the
 * send's outcome is then unknown, never retried.
 */
export function claimReplySend(prisma: Queryable, id: string, now: Date): Promise<CustomerReply | undefined> {
  return updateReply(
    prisma,
    `UPDATE customer_reply SET sending_since = $2::timestamptz
     WHERE id = $1::bigint AND status = 'queued' AND sending_since IS NULL`,
    id,
    now,
  );
}

/**
 * Gives the claim taken at `claimedAt` back, for when WeChat certainly did
 * not take the message (it refused the request, or no connection was made):
 * a later attempt may send. Only that claim is cleared, and only while the
 * reply is queued; false when there was nothing to clear.
 */
export async function releaseReplySend(prisma: Queryable, id: string, claimedAt: Date): Promise<boolean> {
  const row = await updateReply(
    prisma,
    `UPDATE customer_reply SET sending_since = NULL
     WHERE id = $1::bigint AND status = 'queued' AND sending_since = $2::timestamptz`,
    id,
    claimedAt,
  );
  return row !== undefined;
}

/**
 * Ends a queued reply as failed for a reason of ours, with no answer from
 * WeChat to keep (no errcode, no rid): the app cannot send, or the send's
 * outcome is unknown. `errmsg` starts with a stable code (`outcome_unknown:
 * …`). Like markReplyFailed, only a queued reply changes.
 */
export function markReplyFailedWithoutAnswer(prisma: Queryable, failure: { readonly id: string; readonly at: Date; readonly errmsg: string }) {
  return updateReply(
    prisma,
    `UPDATE customer_reply SET status = 'failed', failed_at = $2::timestamptz, errcode = NULL, errmsg = $3, rid = NULL
     WHERE id = $1::bigint AND status = 'queued'`,
    failure.id,
    failure.at,
    failure.errmsg,
  );
}

/**
 * Records why the worker stopped retrying a reply that is still queued and
 * unclaimed (transient failures used every attempt): the reply keeps waiting,
 * now for an operator to replay its dead letter, and shows the last error.
 * findStaleQueuedReplies passes over it, so no sweep sends it behind the
 * operator's back; a send that succeeds later overwrites the error.
 */
export function markReplyHeld(
  prisma: Queryable,
  held: { readonly id: string; readonly errcode: number | null; readonly errmsg: string; readonly rid: string | null },
) {
  return updateReply(
    prisma,
    `UPDATE customer_reply SET errcode = $2::integer, errmsg = $3, rid = $4
     WHERE id = $1::bigint AND status = 'queued' AND sending_since IS NULL`,
    held.id,
    held.errcode,
    held.errmsg,
    held.rid,
  );
}

export interface StaleQueuedReplyQuery {
  readonly appIds: readonly string[];
  /** Created before this: long enough ago that its job should have run. */
  readonly olderThan: Date;
  /** Created at or after this: bounds the scan to a range of customer_reply_app_time_idx. */
  readonly notBefore: Date;
  readonly limit: number;
}

/**
 * Replies that should have a job and may have none (the support API stored
 * the row, then failed to add its job): queued, unclaimed, never given up on
 * (no errmsg), created in [notBefore, olderThan). Oldest first.
 */
export async function findStaleQueuedReplies(prisma: Queryable, query: StaleQueuedReplyQuery): Promise<CustomerReply[]> {
  if (query.appIds.length === 0) return [];
  return prisma.$queryRawUnsafe<CustomerReply[]>(
    `SELECT ${REPLY_FIELDS_SQL} FROM customer_reply
     WHERE app_id = ANY($1::text[]) AND created_at >= $2::timestamptz AND created_at < $3::timestamptz
       AND status = 'queued' AND sending_since IS NULL AND errmsg IS NULL
     ORDER BY created_at, id
     LIMIT $4::integer`,
    query.appIds,
    query.notBefore,
    query.olderThan,
    query.limit,
  );
}
