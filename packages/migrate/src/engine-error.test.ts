import { describe, expect, it } from 'vitest';
import { toMigrationError, withoutSpanTrace } from './engine-error.js';
import { MigrationError } from './migration-error.js';

describe('engine errors', () => {
  const engineMessage =
    'migrate found failed migrations in the target database\nThe `1_bad` migration failed\n\n   0: schema_commands::apply\n           at src/x.rs:1';

  it('drops the span trace from the message', () => {
    expect(withoutSpanTrace(engineMessage)).toBe(
      'migrate found failed migrations in the target database\nThe `1_bad` migration failed',
    );
    expect(withoutSpanTrace('plain')).toBe('plain');
  });

  it('keeps the Prisma error code and the original error', () => {
    const original = Object.assign(new Error(engineMessage), { name: 'SchemaConnectorError', code: 'P3009' });
    const error = toMigrationError(original);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.code).toBe('P3009');
    expect(error.cause).toBe(original);
    expect(error.message).not.toContain('schema_commands');
  });

  it('wraps anything else', () => {
    expect(toMigrationError('boom').message).toBe('boom');
    const already = new MigrationError('x');
    expect(toMigrationError(already)).toBe(already);
  });
});
