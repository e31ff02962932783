import { describe, expect, it } from 'vitest';
import { migrationDirectoryName, slugifyMigrationName } from './migration-name.js';

describe('migration names', () => {
  it('slugifies like Prisma', () => {
    expect(slugifyMigrationName('init')).toBe('init');
    expect(slugifyMigrationName(' Add Note column! ')).toBe('add_note_column');
    expect(slugifyMigrationName('msg-id__index')).toBe('msg_id_index');
    expect(slugifyMigrationName('x'.repeat(150))).toHaveLength(100);
  });

  it('refuses names without letters or digits', () => {
    expect(() => slugifyMigrationName('  !! ')).toThrow(/letters or digits/);
  });

  it('prefixes a UTC timestamp', () => {
    const now = new Date('2025-03-04T05:06:07.890Z');
    expect(migrationDirectoryName('add note', now, [])).toBe('20250304050607_add_note');
  });

  it('sorts after the latest existing migration even with a slow clock', () => {
    const now = new Date('2025-03-04T05:06:07Z');
    const existing = ['20250101000000_init', '20250304050607_other', 'not_a_migration'];
    expect(migrationDirectoryName('next', now, existing)).toBe('20250304050608_next');
    expect(migrationDirectoryName('next', new Date('2024-12-31T23:59:59Z'), existing)).toBe('20250304050608_next');
    expect(migrationDirectoryName('next', new Date('2025-12-31T23:59:59Z'), existing)).toBe('20251231235959_next');
  });
});
