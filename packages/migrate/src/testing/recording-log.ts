import type { MigrateLog } from '../migrate-log.js';

export interface RecordedLine {
  readonly level: 'info' | 'warn' | 'debug';
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** A MigrateLog that keeps what it was told, for assertions. */
export function createRecordingLog(): MigrateLog & { readonly lines: RecordedLine[] } {
  const lines: RecordedLine[] = [];
  const record = (level: RecordedLine['level']) => (fields: Record<string, unknown>, message: string) => {
    lines.push({ level, fields, message });
  };
  return { lines, info: record('info'), warn: record('warn'), debug: record('debug') };
}
