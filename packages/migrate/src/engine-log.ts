import type { MigrateLog } from './migrate-log.js';

interface EngineLogLine {
  level?: string;
  target?: string;
  fields?: Record<string, unknown>;
}

/**
 * The engine reports progress as one JSON line per `tracing` event. We pass
 * them on at debug level (our own messages say what happened at info), with
 * migration scripts left out: they are in the migrations directory already.
 */
export function createEngineLogForwarder(log: MigrateLog): (line: string) => void {
  return (line) => {
    let parsed: EngineLogLine;
    try {
      parsed = JSON.parse(line) as EngineLogLine;
    } catch {
      log.debug({ line: line.trim() }, 'schema engine');
      return;
    }
    const { message, script: _script, ...fields } = parsed.fields ?? {};
    const text = typeof message === 'string' ? message : 'schema engine';
    const entry = { engine: { level: parsed.level, target: parsed.target, ...fields } };
    if (parsed.level === 'WARN' || parsed.level === 'ERROR') log.warn(entry, text);
    else log.debug(entry, text);
  };
}
