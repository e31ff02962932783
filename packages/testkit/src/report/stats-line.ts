import { appendFileSync } from 'node:fs';
import type { LoadReport } from '../load/signed-load.js';
import type { TableAudit } from './table-audit.js';

export interface StatsInput {
  /** Test name, e.g. `redis-outage`. */
  readonly test: string;
  readonly load: LoadReport;
  readonly audit: TableAudit;
  /** Anything else worth a figure (outage length, spool depth at the kill, ...). */
  readonly extra?: Readonly<Record<string, string | number>>;
}

const ms = (value: number) => (Number.isFinite(value) ? String(Math.round(value)) : '-');

/** The one line every fault test prints (pure, so its shape is unit-tested). */
export function formatStatsLine(input: StatsInput): string {
  const { load, audit } = input;
  const fields: [string, string | number][] = [
    ['sent', load.sent],
    ['acknowledged', load.acknowledged],
    ['distinct', load.distinctMessages],
    ['stored', audit.stored],
    ['duplicatesStored', audit.duplicatesStored],
    ['lost', audit.lost],
    ['maxAckMs', ms(load.ack.max)],
    ['p50AckMs', ms(load.ack.p50)],
    ['p99AckMs', ms(load.ack.p99)],
    ['rejected', load.rejected],
    ['failed', load.failed],
    ['ratePerSec', load.achievedRatePerSec.toFixed(1)],
    ...Object.entries(input.extra ?? {}),
  ];
  return `[reliability] ${input.test}: ${fields.map(([key, value]) => `${key}=${value}`).join(' ')}`;
}

/**
 * Prints the stats line, and appends it as JSON to `RELIABILITY_STATS_FILE`
 * when set (docs/reliability.md takes its figures from there).
 */
export function reportStats(input: StatsInput, statsFile = process.env.RELIABILITY_STATS_FILE): string {
  const line = formatStatsLine(input);
  process.stdout.write(`${line}\n`);
  if (statsFile) {
    const { load, audit } = input;
    const record = {
      test: input.test,
      at: new Date().toISOString(),
      sent: load.sent,
      acknowledged: load.acknowledged,
      distinct: load.distinctMessages,
      stored: audit.stored,
      duplicatesStored: audit.duplicatesStored,
      lost: audit.lost,
      ack: load.ack,
      statuses: load.statuses,
      extra: input.extra ?? {},
    };
    appendFileSync(statsFile, `${JSON.stringify(record)}\n`);
  }
  return line;
}
