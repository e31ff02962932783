/**
 * PostgreSQL refused this one row for what it contains (a data exception or
 * an integrity violation): retrying it can never succeed.
 */
export class RowRejectedError extends Error {
  override readonly name = 'RowRejectedError';
  readonly code = 'db_rejected_row';
  readonly sqlState: string;
  constructor(sqlError: SqlError, options: { cause: unknown }) {
    super(`database rejected the row: ${sqlError.message} (SQLSTATE ${sqlError.sqlState})`, options);
    this.sqlState = sqlError.sqlState;
  }
}

export interface SqlError {
  readonly sqlState: string;
  readonly message: string;
}

/**
 * The PostgreSQL error behind a Prisma driver-adapter error, e.g. `22P05
 * unsupported Unicode escape sequence`; undefined for anything else.
 */
export function sqlErrorOf(error: unknown): SqlError | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: Record<string, unknown> } } } | null)?.meta;
  const cause = meta?.driverAdapterError?.cause;
  const sqlState = cause?.originalCode ?? cause?.code;
  if (typeof sqlState !== 'string' || !/^[0-9A-Z]{5}$/.test(sqlState)) return undefined;
  const message = cause?.originalMessage ?? cause?.message;
  return { sqlState, message: typeof message === 'string' ? message : 'unknown error' };
}

/**
 * Class 22 (data exception, e.g. a NUL character in text or jsonb) and class
 * 23 (integrity constraint) depend only on the row, so they are permanent.
 */
export function isRowSpecific(sqlError: SqlError | undefined): sqlError is SqlError {
  return sqlError !== undefined && (sqlError.sqlState.startsWith('22') || sqlError.sqlState.startsWith('23'));
}
