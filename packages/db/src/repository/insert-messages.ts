import type { PrismaClient } from '../generated/prisma/client.js';
import type { InsertOutcome, NewCustomerMessage } from './customer-message.js';
import { archivableMediaJson, CREATE_INSERTED_ARCHIVES_SQL } from './archivable-media.js';
import { APPLY_INSERTED_ACTIONS_SQL, windowActionsJson } from './conversation-window.js';
import { INSERT_BATCH_SQL } from './customer-message-columns.js';
import { dedupIdentity, firstOfEachIdentity, resolveOutcomes, toBatchJson } from './insert-batch.js';

/** A client or an interactive transaction's client: the statement runs on either. */
export type Queryable = Pick<PrismaClient, '$queryRawUnsafe'>;

/** The batch's insert, then the reply windows and image archives its new messages open, in one statement. */
const INSERT_AND_APPLY_SQL = `WITH inserted AS (${INSERT_BATCH_SQL}), ${APPLY_INSERTED_ACTIONS_SQL}, ${CREATE_INSERTED_ARCHIVES_SQL}
  SELECT app_id, dedup_key FROM inserted`;

/**
 * Stores a batch in one statement (INSERT_BATCH_SQL; parameters: the
 * batch's JSON text as UTF-8 bytes, see `toBatchJson`, and its window
 * actions, see `windowActionsJson`, and its images, see `archivableMediaJson`) and reports, per input row and in input
 * order, whether it was inserted or was a duplicate of a stored message (or
 * of an earlier row of the batch). The reply windows of the inserted
 * messages' conversations are updated, and their images' archives created
 * (pending), by the same statement.
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
  const first = firstOfEachIdentity(rows);
  const batch = Buffer.from(toBatchJson(first), 'utf8');
  // The statement is built from the column list alone, never from input.
  const inserted = await prisma.$queryRawUnsafe<{ app_id: string; dedup_key: string }[]>(INSERT_AND_APPLY_SQL, batch, windowActionsJson(first), archivableMediaJson(first));
  return resolveOutcomes(rows, new Set(inserted.map((row) => dedupIdentity(row.app_id, row.dedup_key))));
}
