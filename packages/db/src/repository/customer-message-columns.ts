import type { NewCustomerMessage } from './customer-message.js';

/**
 * How one column travels: as text, as a JSON value, as epoch milliseconds
 * (a Date costs ~1 µs more per row as an ISO string), or as JSON text the
 * database casts to jsonb (so big integers in the payload stay exact).
 */
type Carrier = 'text' | 'json' | 'epochMs' | 'jsonText';

interface Column {
  /** The column in customer_message. */
  readonly name: string;
  /** The field of NewCustomerMessage it holds. */
  readonly field: keyof NewCustomerMessage;
  readonly carrier: Carrier;
}

const column = (name: string, field: keyof NewCustomerMessage, carrier: Carrier = 'text'): Column => ({ name, field, carrier });

/**
 * The one list of what the worker writes into customer_message. The batch a
 * statement carries, the INSERT's columns and the SELECT that unpacks the
 * batch are all derived from it, in its order, so a value cannot land in
 * another column.
 */
export const CUSTOMER_MESSAGE_COLUMNS: readonly Column[] = [
  column('app_id', 'appId'),
  column('signature', 'signature'),
  column('"timestamp"', 'timestamp'),
  column('nonce', 'nonce'),
  column('openid', 'openid'),
  column('encrypt_type', 'encryptType'),
  column('msg_signature', 'msgSignature'),
  column('to_username', 'toUsername'),
  column('from_username', 'fromUsername'),
  column('msg_type', 'msgType'),
  column('msg_info', 'msgInfo', 'json'),
  column('msg_id', 'msgId'),
  column('encrypt', 'encrypt'),
  column('dedup_key', 'dedupKey'),
  column('msg_create_time', 'msgCreateTime', 'epochMs'),
  column('payload', 'payloadJson', 'jsonText'),
  column('data_format', 'dataFormat'),
  column('received_at', 'receivedAt', 'epochMs'),
];

/** A row's values in the column list's order, as the batch carries them. */
export function batchTuple(row: NewCustomerMessage): unknown[] {
  return CUSTOMER_MESSAGE_COLUMNS.map(({ field, carrier }) => {
    const value = row[field];
    return carrier === 'epochMs' ? (value as Date).getTime() : value;
  });
}

/** SQL for the value at `index` of the batch row `r` (a jsonb array), typed for its column. */
function unpack({ carrier }: Column, index: number): string {
  switch (carrier) {
    case 'text':
      return `r->>${index}`;
    case 'json':
      return `r->${index}`;
    case 'epochMs':
      return `to_timestamp((r->>${index})::numeric / 1000)`;
    case 'jsonText':
      return `(r->>${index})::jsonb`;
  }
}

function indexOf(name: string): number {
  return CUSTOMER_MESSAGE_COLUMNS.findIndex((candidate) => candidate.name === name);
}

/**
 * The INSERT for a batch passed as $1 (the batch's JSON text as UTF-8
 * bytes). Rows go in (app, dedup key) order so that two batches sharing
 * keys take the unique-index locks in the same order (no 40P01).
 */
export const INSERT_BATCH_SQL = `
  INSERT INTO customer_message (${CUSTOMER_MESSAGE_COLUMNS.map((c) => c.name).join(', ')})
  SELECT ${CUSTOMER_MESSAGE_COLUMNS.map(unpack).join(', ')}
  FROM jsonb_array_elements(convert_from($1, 'UTF8')::jsonb) AS batch(r)
  ORDER BY r->>${indexOf('app_id')}, r->>${indexOf('dedup_key')}
  ON CONFLICT (app_id, dedup_key) DO NOTHING
  RETURNING app_id, dedup_key`;

/** Every column of the list, read back under its field's name (times as Dates, the payload as jsonb's text). */
export const SELECT_FIELDS_SQL = CUSTOMER_MESSAGE_COLUMNS.map(({ name, field, carrier }) =>
  carrier === 'jsonText' ? `${name}::text AS "${field}"` : `${name} AS "${field}"`,
).join(', ');
