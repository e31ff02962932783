/**
 * Helpers for postgresql:// URLs. We derive sibling URLs (maintenance,
 * shadow and test databases) by swapping the path, never by handing pg a
 * `database` option next to a `connectionString`: pg lets the connection
 * string win, so the override would silently hit the original database.
 */

/** The database PostgreSQL always has and any role may usually connect to. */
export const MAINTENANCE_DATABASE = 'postgres';

// PostgreSQL truncates identifiers to 63 bytes; longer names would collide.
const MAX_IDENTIFIER_BYTES = 63;

export function databaseNameOf(databaseUrl: string): string {
  const name = decodeURIComponent(parse(databaseUrl).pathname.replace(/^\//, ''));
  if (name === '') throw new Error('The database URL names no database (expected postgresql://host/<name>)');
  return name;
}

export function withDatabase(databaseUrl: string, database: string): string {
  const url = parse(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Host, port and database only: safe to log, unlike the URL (password). */
export function describeDatabaseUrl(databaseUrl: string): { host: string; database: string } {
  const url = parse(databaseUrl);
  return { host: url.host || (url.searchParams.get('host') ?? ''), database: databaseNameOf(databaseUrl) };
}

export function quoteIdentifier(name: string): string {
  if (Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES) {
    throw new Error(`Identifier longer than ${MAX_IDENTIFIER_BYTES} bytes: ${name}`);
  }
  return `"${name.replaceAll('"', '""')}"`;
}

function parse(databaseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch (error) {
    // The message of URL's own error would echo the URL, password included.
    throw new Error('The database URL is not a valid URL', { cause: { code: (error as { code?: unknown }).code } });
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw new Error('The database URL must start with postgresql://');
  }
  return url;
}
