import { discardPanickedEngine } from './load-schema-engine.js';
import { MigrationError } from './migration-error.js';

/**
 * Turns what the engine throws into a MigrationError whose message is the
 * engine's own, minus the span trace it appends ("   0: sql_schema_..."),
 * which stays available on `cause`.
 */
export function toMigrationError(error: unknown): MigrationError {
  if (error instanceof MigrationError) return error;
  if (!(error instanceof Error)) return new MigrationError(String(error), { cause: error });
  if (error.name === 'RuntimeError') {
    const reason = discardPanickedEngine();
    return new MigrationError(`The schema engine panicked: ${reason || error.message}`, { cause: error });
  }
  const code = (error as { code?: unknown }).code;
  return new MigrationError(withoutSpanTrace(error.message), {
    cause: error,
    code: typeof code === 'string' ? code : undefined,
  });
}

export function withoutSpanTrace(message: string): string {
  const trace = message.search(/\n\s*0: /);
  return (trace === -1 ? message : message.slice(0, trace)).trim();
}
