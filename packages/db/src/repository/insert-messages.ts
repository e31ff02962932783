import type { PrismaClient } from '../generated/prisma/client.js';
import type { InsertOutcome, NewCustomerMessage } from './customer-message.js';
import { dedupIdentity, firstOfEachIdentity, resolveOutcomes, toBatchJson } from './insert-batch.js';

/** A client or an interactive transaction's client: the statement runs on either. */
export type Queryable = Pick<PrismaClient, '$queryRaw'>;

/**
 * Stores a batch in one statement (one parameter: the batch's JSON text as
 * UTF-8 bytes, see `toBatchJson`) and reports, per input row and in input
 * order, whether it was inserted or was a duplicate of a stored message (or
 * of an earlier row of the batch).
 *
 * Concurrent batches with the same key are safe: ON CONFLICT waits for the
 * other transaction and then skips the row, so exactly one caller sees
 * 'inserted'. Rows are inserted in (app, dedup key) order so that two
 * batches sharing several keys take the unique-index locks in the same order
 * and wait for each other instead of deadlocking (40P01).
 */
export async function insertMessages(
  prisma: Queryable,
  rows: readonly NewCustomerMessage[],
): Promise<InsertOutcome[]> {
  if (rows.length === 0) return [];
  // Bytes, not text: Prisma passes every raw-query parameter through JSON.stringify and JSON.parse
  // on its way to pg, which for ~100 kB of JSON-in-JSON was ~6% of the worker's CPU; bytes go
  // through that as base64, which needs no escaping (docs/benchmarks.md).
  const batch = Buffer.from(toBatchJson(firstOfEachIdentity(rows)), 'utf8');
  // r->>N is the Nth value of a row as text (NULL for a JSON null), in toBatchJson's order;
  // r->10 is msg_info as jsonb, and 14 and 17 are epoch milliseconds (exact through numeric).
  const inserted = await prisma.$queryRaw<{ app_id: string; dedup_key: string }[]>`
    INSERT INTO customer_message (
      app_id, signature, "timestamp", nonce, openid, encrypt_type, msg_signature,
      to_username, from_username, msg_type, msg_info, msg_id, encrypt, dedup_key,
      msg_create_time, payload, data_format, received_at
    )
    SELECT
      r->>0, r->>1, r->>2, r->>3, r->>4, r->>5, r->>6,
      r->>7, r->>8, r->>9, r->10, r->>11, r->>12, r->>13,
      to_timestamp((r->>14)::numeric / 1000), (r->>15)::jsonb, r->>16, to_timestamp((r->>17)::numeric / 1000)
    FROM jsonb_array_elements(convert_from(${batch}, 'UTF8')::jsonb) AS batch(r)
    ORDER BY r->>0, r->>13
    ON CONFLICT (app_id, dedup_key) DO NOTHING
    RETURNING app_id, dedup_key`;
  return resolveOutcomes(rows, new Set(inserted.map((row) => dedupIdentity(row.app_id, row.dedup_key))));
}
