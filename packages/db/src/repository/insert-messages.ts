import type { PrismaClient } from '../generated/prisma/client.js';
import type { InsertOutcome, NewCustomerMessage } from './customer-message.js';
import { INSERT_BATCH_SQL } from './customer-message-columns.js';
import { dedupIdentity, firstOfEachIdentity, resolveOutcomes, toBatchJson } from './insert-batch.js';

/** A client or an interactive transaction's client: the statement runs on either. */
export type Queryable = Pick<PrismaClient, '$queryRawUnsafe'>;

/**
 * Stores a batch in one statement (INSERT_BATCH_SQL; one parameter: the
 * batch's JSON text as UTF-8 bytes, see `toBatchJson`) and reports, per input row and in input
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
  // The statement is built from the column list alone, never from input.
  const inserted = await prisma.$queryRawUnsafe<{ app_id: string; dedup_key: string }[]>(INSERT_BATCH_SQL, batch);
  return resolveOutcomes(rows, new Set(inserted.map((row) => dedupIdentity(row.app_id, row.dedup_key))));
}
