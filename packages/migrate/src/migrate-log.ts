/**
 * The slice of a pino logger the migrate functions use, so callers can pass
 * `createLogger(...)` from @wxcs/logger or a small recorder in tests.
 */
export interface MigrateLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
}
