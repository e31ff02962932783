import { describe, expect, it } from 'vitest';
import { databaseNameOf, describeDatabaseUrl, quoteIdentifier, withDatabase } from './database-url.js';

describe('database URLs', () => {
  const url = 'postgresql://app:s3cr%40t@db.internal:6543/wechat_cs?sslmode=require';

  it('reads the database name', () => {
    expect(databaseNameOf(url)).toBe('wechat_cs');
    expect(databaseNameOf('postgres://u@h/with%20space')).toBe('with space');
  });

  it('refuses a URL without a database', () => {
    expect(() => databaseNameOf('postgresql://u@h:5432')).toThrow(/names no database/);
    expect(() => databaseNameOf('postgresql://u@h:5432/')).toThrow(/names no database/);
  });

  it('swaps only the database, keeping credentials and parameters', () => {
    const other = withDatabase(url, 'postgres');
    expect(other).toBe('postgresql://app:s3cr%40t@db.internal:6543/postgres?sslmode=require');
    expect(databaseNameOf(withDatabase(url, 'a/b'))).toBe('a/b');
  });

  it('describes a URL without its password', () => {
    const described = describeDatabaseUrl(url);
    expect(described).toEqual({ host: 'db.internal:6543', database: 'wechat_cs' });
    expect(JSON.stringify(described)).not.toContain('s3cr');
    expect(describeDatabaseUrl('postgresql:///db?host=/var/run/postgresql').host).toBe('/var/run/postgresql');
  });

  it('never echoes an unparsable URL in its error', () => {
    expect(() => databaseNameOf('not a url with pass:word')).toThrow('The database URL is not a valid URL');
    expect(() => databaseNameOf('mysql://u:p@h/db')).toThrow(/postgresql/);
  });

  it('quotes identifiers', () => {
    expect(quoteIdentifier('wechat_cs')).toBe('"wechat_cs"');
    expect(quoteIdentifier('we"ird')).toBe('"we""ird"');
    expect(() => quoteIdentifier('x'.repeat(64))).toThrow(/63 bytes/);
  });
});
