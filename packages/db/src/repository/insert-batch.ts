import type { InsertOutcome, NewCustomerMessage } from './customer-message.js';
import { batchTuple } from './customer-message-columns.js';

/** Identity of a message for deduplication; the length prefix keeps any two pairs apart. */
export function dedupIdentity(appId: string, dedupKey: string): string {
  return `${appId.length}:${appId}${dedupKey}`;
}

/**
 * The rows to send: the first of each identity. Sending a key once per
 * statement keeps "first wins" independent of the order PostgreSQL happens
 * to insert rows in.
 */
export function firstOfEachIdentity(rows: readonly NewCustomerMessage[]): NewCustomerMessage[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const identity = dedupIdentity(row.appId, row.dedupKey);
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
}

/** Per input row, in input order: inserted only for the first row of an identity the database accepted. */
export function resolveOutcomes(rows: readonly NewCustomerMessage[], inserted: ReadonlySet<string>): InsertOutcome[] {
  const claimed = new Set<string>();
  return rows.map((row) => {
    const identity = dedupIdentity(row.appId, row.dedupKey);
    if (claimed.has(identity) || !inserted.has(identity)) return 'duplicate';
    claimed.add(identity);
    return 'inserted';
  });
}

/**
 * The whole batch as one JSON text: an array per row, its values in the
 * order of CUSTOMER_MESSAGE_COLUMNS, which INSERT_BATCH_SQL unpacks. One
 * parameter rather than one array per column: pg escapes every array
 * element, so 18 arrays cost ~40% more node CPU per row (docs/benchmarks.md).
 */
export function toBatchJson(rows: readonly NewCustomerMessage[]): string {
  return JSON.stringify(rows.map(batchTuple));
}
