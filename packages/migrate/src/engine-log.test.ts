import { describe, expect, it } from 'vitest';
import { createRecordingLog } from './testing/recording-log.js';
import { createEngineLogForwarder } from './engine-log.js';

describe('engine log forwarding', () => {
  it('passes engine events on at debug level without migration scripts', () => {
    const log = createRecordingLog();
    createEngineLogForwarder(log)(
      JSON.stringify({
        level: 'INFO',
        target: 'schema_commands::apply_migrations',
        fields: { message: 'Applying `1_init`', script: 'CREATE TABLE x ();' },
      }) + '\n',
    );
    expect(log.lines).toEqual([
      {
        level: 'debug',
        message: 'Applying `1_init`',
        fields: { engine: { level: 'INFO', target: 'schema_commands::apply_migrations' } },
      },
    ]);
  });

  it('raises engine warnings and errors to warn', () => {
    const log = createRecordingLog();
    createEngineLogForwarder(log)(JSON.stringify({ level: 'WARN', fields: { message: 'careful', n: 1 } }));
    expect(log.lines[0]).toMatchObject({ level: 'warn', message: 'careful', fields: { engine: { n: 1 } } });
  });

  it('keeps lines that are not JSON', () => {
    const log = createRecordingLog();
    createEngineLogForwarder(log)('plain text\n');
    expect(log.lines[0]).toEqual({ level: 'debug', message: 'schema engine', fields: { line: 'plain text' } });
  });
});
