import type { LoadReport, TableAudit } from '@wxcs/testkit';
import { expect } from 'vitest';
import type { Settled } from './pipeline.js';

/** The pipeline's promise once a load has finished: it settles, and every distinct message is stored exactly once. */
export function expectEveryMessageStoredOnce(settled: Settled, audit: TableAudit, load: LoadReport): void {
  expect(settled.settled, JSON.stringify(settled)).toBe(true);
  expect(audit.lost, `lost: ${audit.lostMarkers.join(',')}`).toBe(0);
  expect(audit.duplicatesStored).toBe(0);
  expect(audit.unexpected).toBe(0);
  expect(audit.stored).toBe(load.distinctMessages);
}
