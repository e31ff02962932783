import {
  DatabaseUnavailableError,
  RowRejectedError,
  classifyDatabaseError,
  type InsertOutcome,
  type NewCustomerMessage,
} from '@wxcs/db';
import { TIMED_OUT, raceTimeout } from '@wxcs/service';
import { createBatcher } from './batcher.js';
import type { DatabaseProbe } from './database-probe.js';

export type InsertMessages = (rows: readonly NewCustomerMessage[]) => Promise<InsertOutcome[]>;

export interface PersistObserver {
  /** One multi-row insert went out (also called for the single-row inserts of an isolated batch). */
  readonly batchDone: (size: number, seconds: number, ok: boolean) => void;
}

export interface MessagePersisterOptions {
  readonly insert: InsertMessages;
  readonly probe: DatabaseProbe;
  readonly maxBatchSize: number;
  readonly maxWaitMs: number;
  /** A hung database must not hold jobs forever; a late commit is absorbed by deduplication. */
  readonly insertTimeoutMs: number;
  readonly observer: PersistObserver;
}

export interface MessagePersister {
  /** Resolves once this row (or an earlier copy of it) is committed. */
  readonly persist: (row: NewCustomerMessage) => Promise<InsertOutcome>;
  /** Sends whatever is pending now and waits for every insert in flight. */
  readonly flush: () => Promise<void>;
  /** Rows no longer wait for a batch to fill (shutdown: no more jobs will join them). */
  readonly sendWithoutWaiting: () => void;
}

export class InsertTimeoutError extends Error {
  override readonly name = 'InsertTimeoutError';
  constructor(timeoutMs: number) {
    super(`insert did not finish within ${timeoutMs} ms`);
  }
}

type RowResult = { readonly ok: InsertOutcome } | { readonly error: unknown };

export function createMessagePersister(options: MessagePersisterOptions): MessagePersister {
  async function timedInsert(rows: readonly NewCustomerMessage[]): Promise<InsertOutcome[]> {
    const started = performance.now();
    try {
      const result = await raceTimeout(options.insert(rows), options.insertTimeoutMs);
      if (result === TIMED_OUT) throw new InsertTimeoutError(options.insertTimeoutMs);
      options.observer.batchDone(rows.length, (performance.now() - started) / 1_000, true);
      return result;
    } catch (error) {
      options.observer.batchDone(rows.length, (performance.now() - started) / 1_000, false);
      throw error;
    }
  }

  /** A row that failed alone: refused for good (permanent), the database gone (wait), or worth a retry. */
  function rowError(error: unknown): RowResult {
    const failure = classifyDatabaseError(error);
    if (failure.kind === 'rejected') return { error: new RowRejectedError(failure, { cause: error }) };
    if (failure.kind === 'unavailable') return { error: new DatabaseUnavailableError(failure.message, { cause: error }) };
    return { error };
  }

  async function insertAlone(row: NewCustomerMessage): Promise<RowResult> {
    try {
      const [outcome] = await timedInsert([row]);
      return outcome === undefined ? { error: new Error('insert returned no result') } : { ok: outcome };
    } catch (error) {
      return rowError(error);
    }
  }

  /**
   * One multi-row insert; if it fails while the database is up, every row is
   * retried alone so a row PostgreSQL refuses cannot fail its neighbours.
   * The probe catches what the error alone does not tell (a hung connection).
   */
  async function insertBatch(rows: readonly NewCustomerMessage[]): Promise<RowResult[]> {
    try {
      return (await timedInsert(rows)).map((ok) => ({ ok }));
    } catch (error) {
      const failure = classifyDatabaseError(error);
      if (failure.kind === 'unavailable') throw new DatabaseUnavailableError(failure.message, { cause: error });
      if (!(await options.probe())) throw new DatabaseUnavailableError('PostgreSQL is not reachable', { cause: error });
      if (rows.length === 1) return [rowError(error)];
      return Promise.all(rows.map(insertAlone));
    }
  }

  const batcher = createBatcher<NewCustomerMessage, RowResult>({
    maxSize: options.maxBatchSize,
    maxWaitMs: options.maxWaitMs,
    run: insertBatch,
  });

  return {
    persist: async (row) => {
      const result = await batcher.submit(row);
      if ('error' in result) throw result.error;
      return result.ok;
    },
    flush: batcher.flush,
    sendWithoutWaiting: batcher.sendWithoutWaiting,
  };
}
