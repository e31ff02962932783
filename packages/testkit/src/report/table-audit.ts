import pg from 'pg';

export interface TableAudit {
  /** Rows of this run in customer_message. */
  readonly stored: number;
  /** Distinct messages among them. */
  readonly distinctStored: number;
  /** Rows beyond the first for a message: must be 0. */
  readonly duplicatesStored: number;
  /** Acknowledged messages with no row: must be 0. */
  readonly lost: number;
  readonly lostMarkers: readonly string[];
  /** Rows for messages the run never sent: must be 0. */
  readonly unexpected: number;
}

export interface MarkerCount {
  readonly marker: string;
  readonly rows: number;
}

/** Pure: compares the rows found per marker with what the load generator sent and had acknowledged. */
export function compareRows(
  rows: readonly MarkerCount[],
  sent: ReadonlySet<string>,
  acknowledged: ReadonlySet<string>,
): TableAudit {
  const stored = rows.reduce((sum, row) => sum + row.rows, 0);
  const present = new Set(rows.map((row) => row.marker));
  const lostMarkers = [...acknowledged].filter((marker) => !present.has(marker));
  return {
    stored,
    distinctStored: present.size,
    duplicatesStored: stored - present.size,
    lost: lostMarkers.length,
    lostMarkers: lostMarkers.slice(0, 20),
    unexpected: [...present].filter((marker) => !sent.has(marker)).length,
  };
}

async function withClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const likeRun = (runId: string) => `o${runId.replace(/[\\%_]/g, '\\$&')}\\_%`;

/** Rows per message marker (openid) of a run; a fresh connection each time, so it works across restarts. */
export async function countRowsByMarker(databaseUrl: string, runId: string): Promise<MarkerCount[]> {
  return withClient(databaseUrl, async (client) => {
    const result = await client.query<{ marker: string; rows: number }>(
      'SELECT from_username AS marker, count(*)::int AS rows FROM customer_message WHERE from_username LIKE $1 GROUP BY from_username',
      [likeRun(runId)],
    );
    return result.rows;
  });
}

export async function auditTable(
  databaseUrl: string,
  run: { runId: string; sentMarkers: ReadonlySet<string>; acknowledgedMarkers: ReadonlySet<string> },
): Promise<TableAudit> {
  return compareRows(await countRowsByMarker(databaseUrl, run.runId), run.sentMarkers, run.acknowledgedMarkers);
}

export interface EndToEndLatency {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/**
 * Received (the receiver's timestamp in the job) → row written (the insert's
 * transaction time, `create_time`), per stored message of a run.
 */
export async function endToEndLatency(databaseUrl: string, runId: string): Promise<EndToEndLatency> {
  return withClient(databaseUrl, async (client) => {
    const result = await client.query<{ count: number; p50: number | null; p99: number | null; max: number | null }>(
      `SELECT count(*)::int AS count,
              percentile_disc(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
              percentile_disc(0.99) WITHIN GROUP (ORDER BY ms) AS p99,
              max(ms) AS max
         FROM (SELECT extract(epoch FROM (create_time - received_at)) * 1000 AS ms
                 FROM customer_message WHERE from_username LIKE $1) AS latencies`,
      [likeRun(runId)],
    );
    const row = result.rows[0];
    return { count: row?.count ?? 0, p50Ms: Number(row?.p50 ?? Number.NaN), p99Ms: Number(row?.p99 ?? Number.NaN), maxMs: Number(row?.max ?? Number.NaN) };
  });
}
