import { describe, expect, it } from 'vitest';
import { buildReport, type RequestRecord } from '../load/signed-load.js';
import { formatStatsLine } from './stats-line.js';
import { compareRows } from './table-audit.js';

const record = (message: number, status: number, latencyMs: number, extra: Partial<RequestRecord> = {}): RequestRecord => ({
  seq: message,
  message,
  attempt: 0,
  duplicate: false,
  delivery: `d${message}`,
  sentAt: 0,
  latencyMs,
  status,
  acknowledged: status === 200,
  ...extra,
});

describe('buildReport', () => {
  it('counts acknowledgements, rejections, failures, retries and distinct messages', () => {
    const report = buildReport(
      'r1',
      [
        record(0, 200, 10),
        record(0, 200, 20, { duplicate: true, seq: 2 }),
        record(1, 401, 5),
        record(2, 0, 10_000, { error: 'timeout' }),
        record(2, 200, 30, { attempt: 1 }),
      ],
      1_000,
    );
    expect(report).toMatchObject({
      sent: 5,
      acknowledged: 3,
      rejected: 1,
      failed: 1,
      distinctMessages: 3,
      distinctAcknowledged: 2,
      duplicatesSent: 1,
      retriesSent: 1,
      overBudget: 1,
      statuses: { '200': 3, '401': 1, 'no-answer:timeout': 1 },
    });
    expect(report.ack).toEqual({ count: 3, p50: 20, p99: 30, max: 30 });
    expect([...report.acknowledgedMarkers].sort()).toEqual(['or1_0', 'or1_2']);
  });
});

describe('compareRows', () => {
  const sent = new Set(['a', 'b', 'c', 'd']);
  const acknowledged = new Set(['a', 'b', 'c']);

  it('finds duplicates, lost acknowledged messages and rows nobody sent', () => {
    const audit = compareRows(
      [
        { marker: 'a', rows: 2 },
        { marker: 'b', rows: 1 },
        { marker: 'd', rows: 1 },
        { marker: 'x', rows: 1 },
      ],
      sent,
      acknowledged,
    );
    expect(audit).toEqual({ stored: 5, distinctStored: 4, duplicatesStored: 1, lost: 1, lostMarkers: ['c'], unexpected: 1 });
  });

  it('is clean when every acknowledged message has exactly one row', () => {
    const rows = ['a', 'b', 'c'].map((marker) => ({ marker, rows: 1 }));
    expect(compareRows(rows, sent, acknowledged)).toMatchObject({ duplicatesStored: 0, lost: 0, unexpected: 0 });
  });
});

describe('formatStatsLine', () => {
  it('prints the figures the issue asks for, in one line', () => {
    const load = buildReport('r', [record(0, 200, 12.4), record(1, 200, 40.6)], 2_000);
    const audit = compareRows([{ marker: 'or_0', rows: 1 }], load.sentMarkers, load.acknowledgedMarkers);
    const line = formatStatsLine({ test: 'redis-outage', load, audit, extra: { outageMs: 5000 } });
    expect(line).toBe(
      '[reliability] redis-outage: sent=2 acknowledged=2 distinct=2 stored=1 duplicatesStored=0 lost=1 maxAckMs=41 p50AckMs=12 p99AckMs=41 rejected=0 failed=0 ratePerSec=1.0 outageMs=5000',
    );
    expect(line).not.toContain('\n');
  });
});
