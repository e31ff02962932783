import type { InsertOutcome, NewCustomerMessage } from './customer-message.js';

/** Identity of a message for deduplication; JSON so no separator can collide. */
export function dedupIdentity(appId: string, dedupKey: string): string {
  return JSON.stringify([appId, dedupKey]);
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

/** One array per column for `unnest`, every value as text (NULL stays null) so nothing is reinterpreted on the way. */
export function toColumnArrays(rows: readonly NewCustomerMessage[]) {
  const column = <T>(pick: (row: NewCustomerMessage) => T): T[] => rows.map(pick);
  return {
    appId: column((row) => row.appId),
    signature: column((row) => row.signature),
    timestamp: column((row) => row.timestamp),
    nonce: column((row) => row.nonce),
    openid: column((row) => row.openid),
    encryptType: column((row) => row.encryptType),
    msgSignature: column((row) => row.msgSignature),
    toUsername: column((row) => row.toUsername),
    fromUsername: column((row) => row.fromUsername),
    msgType: column((row) => row.msgType),
    msgInfo: column((row) => JSON.stringify(row.msgInfo)),
    msgId: column((row) => row.msgId),
    encrypt: column((row) => row.encrypt),
    dedupKey: column((row) => row.dedupKey),
    msgCreateTime: column((row) => row.msgCreateTime.toISOString()),
    payloadJson: column((row) => row.payloadJson),
    dataFormat: column((row) => row.dataFormat),
    receivedAt: column((row) => row.receivedAt.toISOString()),
  };
}
