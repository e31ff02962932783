import pg from 'pg';

// OIDs from pg_type: the one-byte internal `"char"` type and `text`.
const CHAR_OID = 18;
const TEXT_OID = 25;

/**
 * A pg pool for one schema-engine session.
 *
 * One connection, never reaped while idle: the engine takes its migration
 * advisory lock (pg_advisory_lock(72707369)) as a session lock and never
 * releases it explicitly. On a larger pool, later statements could run on
 * other connections while the lock's connection sat idle long enough to be
 * closed, silently letting a second runner in. With one connection the lock
 * lives exactly as long as the session, and ends with `pool.end()`.
 */
export function createEnginePool(databaseUrl: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1, idleTimeoutMillis: 0 });
  pool.on('connect', reportCharColumnsAsText);
  // An idle connection the server ends (a shadow database dropped WITH (FORCE)
  // while its pool is still closing) is reported here; without a listener pg
  // rethrows it as an uncaught exception. A query on a broken connection still fails.
  pool.on('error', () => undefined);
  return pool;
}

type AnyQuery = (...args: unknown[]) => unknown;

/**
 * The engine's catalog queries select columns such as pg_constraint.contype,
 * of the internal `"char"` type, which @prisma/adapter-pg 7.10 rejects
 * ("Column type 'char' could not be deserialized"). pg already returns such
 * values as strings, so relabelling the column as text is exact.
 */
function reportCharColumnsAsText(client: pg.PoolClient): void {
  const query = client.query.bind(client) as AnyQuery;
  const relabelled: AnyQuery = (...args) => {
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      // pg.Pool#query hands its callback to the client.
      const done = callback as (error: unknown, result: unknown) => void;
      return query(...args.slice(0, -1), (error: unknown, result: unknown) => done(error, relabel(result)));
    }
    const returned = query(...args);
    return returned instanceof Promise ? returned.then(relabel) : returned;
  };
  client.query = relabelled as typeof client.query;
}

function relabel(result: unknown): unknown {
  for (const one of Array.isArray(result) ? result : [result]) {
    for (const field of (one as { fields?: pg.FieldDef[] } | undefined)?.fields ?? []) {
      if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    }
  }
  return result;
}
