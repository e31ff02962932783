import { DatabaseUnavailableError } from './check-database.js';

/**
 * What a failed statement means for the rows it carried:
 * - `rejected`: PostgreSQL refused the statement for what it is or holds; the
 *   same rows fail the same way however often they are sent.
 * - `unavailable`: the database cannot take writes now, whatever the rows;
 *   wait for it rather than spend attempts.
 * - `transient`: anything else (conflicts, timeouts, errors not recognised);
 *   a retry may succeed.
 */
export type DatabaseFailure =
  | { readonly kind: 'rejected'; readonly sqlState: string; readonly message: string }
  | { readonly kind: 'unavailable' | 'transient'; readonly sqlState?: string; readonly message: string };

// Deterministic classes: 0A feature not supported, 21 cardinality, 22 data
// exception (NUL in text, bad JSON), 23 integrity, 42 syntax or rule
// violation, 44 check option, 54 program limit (an index entry over 2704 bytes).
const REJECTED_CLASSES = new Set(['0A', '21', '22', '23', '42', '44', '54']);
// 08 connection, 28 authorization, 3D no such database, 53 resources (disk
// full, too many connections), 58 system (I/O).
const UNAVAILABLE_CLASSES = new Set(['08', '28', '3D', '53', '58']);
const UNAVAILABLE_STATES = new Set([
  // Shut down or restarting (57P01-57P03); the database dropped (57P04).
  '57P01',
  '57P02',
  '57P03',
  '57P04',
  // A read-only transaction: connected to a standby, e.g. during a failover.
  '25006',
  // The schema is not what this code expects (migrations not yet applied, a
  // grant missing): a state of the deployment, not of the row, that ends when
  // an operator acts, and would otherwise turn every message into a dead letter.
  '42P01',
  '42703',
  '42883',
  '42501',
  '3F000',
]);
// Failures the pg adapter reports without a SQLSTATE: the socket never got an answer.
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TlsConnectionError']);
const SQLSTATE = /^[0-9A-Z]{5}$/;

interface AdapterCause {
  readonly kind?: unknown;
  readonly code?: unknown;
  readonly originalCode?: unknown;
  readonly message?: unknown;
  readonly originalMessage?: unknown;
}

/**
 * Classifies an error thrown by a Prisma query through the pg adapter
 * (`meta.driverAdapterError.cause`: the SQLSTATE as `originalCode`, or as
 * `code` for kind `postgres`), or by `checkDatabase`.
 */
export function classifyDatabaseError(error: unknown): DatabaseFailure {
  if (error instanceof DatabaseUnavailableError) return { kind: 'unavailable', message: error.message };
  const cause = adapterCauseOf(error);
  const sqlState = sqlStateOf(cause);
  const message = messageOf(cause, error);
  if (sqlState === undefined) {
    return { kind: UNREACHABLE_KINDS.has(String(cause?.kind)) ? 'unavailable' : 'transient', message };
  }
  if (UNAVAILABLE_STATES.has(sqlState) || UNAVAILABLE_CLASSES.has(sqlState.slice(0, 2))) {
    return { kind: 'unavailable', sqlState, message };
  }
  if (REJECTED_CLASSES.has(sqlState.slice(0, 2))) return { kind: 'rejected', sqlState, message };
  return { kind: 'transient', sqlState, message };
}

/** A row PostgreSQL refused for good (a `rejected` failure of a statement that carried only this row). */
export class RowRejectedError extends Error {
  override readonly name = 'RowRejectedError';
  readonly code = 'db_rejected_row';
  readonly sqlState: string;
  constructor(failure: { readonly sqlState: string; readonly message: string }, options: { cause: unknown }) {
    super(`database rejected the row: ${failure.message} (SQLSTATE ${failure.sqlState})`, options);
    this.sqlState = failure.sqlState;
  }
}

function adapterCauseOf(error: unknown): AdapterCause | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: unknown } } } | null)?.meta;
  const cause = meta?.driverAdapterError?.cause;
  return typeof cause === 'object' && cause !== null ? cause : undefined;
}

function sqlStateOf(cause: AdapterCause | undefined): string | undefined {
  const code = cause?.originalCode ?? (cause?.kind === 'postgres' ? cause.code : undefined);
  return typeof code === 'string' && SQLSTATE.test(code) ? code : undefined;
}

function messageOf(cause: AdapterCause | undefined, error: unknown): string {
  const message = cause?.originalMessage ?? cause?.message;
  if (typeof message === 'string') return message;
  if (typeof cause?.kind === 'string') return cause.kind;
  return error instanceof Error ? error.message : String(error);
}
