import type { CustomerReply, NewCustomerReply } from './customer-reply.js';

interface Column {
  /** The column in customer_reply. */
  readonly name: string;
  readonly field: keyof CustomerReply;
  /** The parameter's type when the column is written on insert; absent when the insert leaves it to the database or to a later update. */
  readonly insertAs?: 'text' | 'jsonb' | 'timestamptz';
}

/**
 * The one list of customer_reply's columns. The INSERT, its parameters and
 * every SELECT are derived from it, in its order, so that a field cannot be
 * read from or written to another column.
 */
export const CUSTOMER_REPLY_COLUMNS: readonly Column[] = [
  { name: 'id', field: 'id' },
  { name: 'app_id', field: 'appId', insertAs: 'text' },
  { name: 'openid', field: 'openid', insertAs: 'text' },
  { name: 'idempotency_key', field: 'idempotencyKey', insertAs: 'text' },
  { name: 'msg_type', field: 'msgType', insertAs: 'text' },
  { name: 'body', field: 'body', insertAs: 'jsonb' },
  { name: 'sent_by', field: 'sentBy', insertAs: 'text' },
  { name: 'status', field: 'status' },
  { name: 'errcode', field: 'errcode' },
  { name: 'errmsg', field: 'errmsg' },
  { name: 'rid', field: 'rid' },
  { name: 'created_at', field: 'createdAt', insertAs: 'timestamptz' },
  { name: 'sent_at', field: 'sentAt' },
  { name: 'failed_at', field: 'failedAt' },
  { name: 'sending_since', field: 'sendingSince' },
];

const INSERTED = CUSTOMER_REPLY_COLUMNS.filter((column) => column.insertAs !== undefined);

/** Every column under its field's name; the bigint id as text, since it may exceed 2^53. */
export const REPLY_FIELDS_SQL = CUSTOMER_REPLY_COLUMNS.map(({ name, field }) =>
  name === 'id' ? `id::text AS "${field}"` : `${name} AS "${field}"`,
).join(', ');

/**
 * Inserts a queued reply from `insertParameters`. A repeated idempotency key
 * inserts nothing and returns no row (NULL keys never conflict).
 */
export const INSERT_REPLY_SQL = `
  INSERT INTO customer_reply (${INSERTED.map((column) => column.name).join(', ')}, status)
  VALUES (${INSERTED.map((column, index) => `$${index + 1}::${column.insertAs ?? 'text'}`).join(', ')}, 'queued')
  ON CONFLICT (app_id, idempotency_key) DO NOTHING
  RETURNING ${REPLY_FIELDS_SQL}`;

/** The INSERT's parameters in the column list's order; the body travels as JSON text for the jsonb cast. */
export function insertParameters(reply: NewCustomerReply): unknown[] {
  return INSERTED.map(({ field, insertAs }) => {
    const value = reply[field as keyof NewCustomerReply];
    return insertAs === 'jsonb' ? JSON.stringify(value) : value;
  });
}
