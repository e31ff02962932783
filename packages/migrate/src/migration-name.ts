const MAX_NAME_LENGTH = 100;
const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:_|$)/;

/** `Add Note column!` → `add_note_column`: the shape Prisma gives migration names. */
export function slugifyMigrationName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/_+$/, '');
  if (slug === '') throw new Error(`Migration name must contain letters or digits: ${JSON.stringify(name)}`);
  return slug;
}

/**
 * `<YYYYMMDDHHMMSS>_<slug>` in UTC, as Prisma names migration directories.
 * The engine applies migrations in name order, so a new migration must sort
 * after every existing one even when this machine's clock is behind the one
 * that wrote the last migration: then we take the last timestamp plus a second.
 */
export function migrationDirectoryName(name: string, now: Date, existing: readonly string[]): string {
  const latest = existing.map(timestampOf).reduce<number | undefined>(
    (max, time) => (time !== undefined && (max === undefined || time > max) ? time : max),
    undefined,
  );
  const nowSeconds = Math.floor(now.getTime() / 1000) * 1000;
  const time = latest !== undefined && nowSeconds <= latest ? latest + 1000 : nowSeconds;
  return `${formatTimestamp(new Date(time))}_${slugifyMigrationName(name)}`;
}

function timestampOf(directory: string): number | undefined {
  const match = TIMESTAMP.exec(directory);
  if (!match) return undefined;
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0] = match.slice(1).map(Number);
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '').replace(/[-T:]/g, '');
}
