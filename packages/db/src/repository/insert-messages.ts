import type { PrismaClient } from '../generated/prisma/client.js';
import type { InsertOutcome, NewCustomerMessage } from './customer-message.js';
import { dedupIdentity, firstOfEachIdentity, resolveOutcomes, toColumnArrays } from './insert-batch.js';

/** A client or an interactive transaction's client: the statement runs on either. */
export type Queryable = Pick<PrismaClient, '$queryRaw'>;

/**
 * Stores a batch in one statement and reports, per input row and in input
 * order, whether it was inserted or was a duplicate of a stored message (or
 * of an earlier row of the same batch).
 *
 * Concurrent batches with the same key are safe: ON CONFLICT waits for the
 * other transaction and then skips the row, so exactly one caller sees
 * 'inserted'. Rows are inserted in (app, dedup key) order so that two
 * batches sharing several keys take the unique-index locks in the same order
 * and wait for each other instead of deadlocking (40P01). Payloads go in as text and are cast to jsonb by PostgreSQL,
 * which keeps big integers exact (JSON.parse would round them).
 */
export async function insertMessages(
  prisma: Queryable,
  rows: readonly NewCustomerMessage[],
): Promise<InsertOutcome[]> {
  if (rows.length === 0) return [];
  const c = toColumnArrays(firstOfEachIdentity(rows));
  const inserted = await prisma.$queryRaw<{ app_id: string; dedup_key: string }[]>`
    INSERT INTO customer_message (
      app_id, signature, "timestamp", nonce, openid, encrypt_type, msg_signature,
      to_username, from_username, msg_type, msg_info, msg_id, encrypt, dedup_key,
      msg_create_time, payload, data_format, received_at
    )
    SELECT
      app_id, signature, "timestamp", nonce, openid, encrypt_type, msg_signature,
      to_username, from_username, msg_type, msg_info::jsonb, msg_id, encrypt, dedup_key,
      msg_create_time::timestamptz, payload::jsonb, data_format, received_at::timestamptz
    FROM unnest(
      ${c.appId}::text[], ${c.signature}::text[], ${c.timestamp}::text[], ${c.nonce}::text[],
      ${c.openid}::text[], ${c.encryptType}::text[], ${c.msgSignature}::text[],
      ${c.toUsername}::text[], ${c.fromUsername}::text[], ${c.msgType}::text[], ${c.msgInfo}::text[],
      ${c.msgId}::text[], ${c.encrypt}::text[], ${c.dedupKey}::text[], ${c.msgCreateTime}::text[],
      ${c.payloadJson}::text[], ${c.dataFormat}::text[], ${c.receivedAt}::text[]
    ) AS batch(
      app_id, signature, "timestamp", nonce, openid, encrypt_type, msg_signature,
      to_username, from_username, msg_type, msg_info, msg_id, encrypt, dedup_key,
      msg_create_time, payload, data_format, received_at
    )
    ORDER BY app_id, dedup_key
    ON CONFLICT (app_id, dedup_key) DO NOTHING
    RETURNING app_id, dedup_key`;
  return resolveOutcomes(rows, new Set(inserted.map((row) => dedupIdentity(row.app_id, row.dedup_key))));
}
