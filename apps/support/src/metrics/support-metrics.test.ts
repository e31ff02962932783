import { createLogger } from '@wxcs/logger';
import { readMetric } from '@wxcs/testkit';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createSupportMetrics } from './support-metrics.js';

const logger = createLogger({ name: 'support', level: 'silent' });
const GAUGE = 'wxcs_support_conversations_closing_unanswered';

describe('the closing-unanswered gauge', () => {
  it('is computed on each scrape, per app', async () => {
    const registry = new Registry();
    let counts = new Map([['shop', 2], ['clinic', 0]]);
    createSupportMetrics(registry, { count: async () => counts, timeoutMs: 1_000, logger });
    expect(readMetric(await registry.metrics(), GAUGE, { app: 'shop' })).toBe(2);
    counts = new Map([['shop', 1]]);
    const second = await registry.metrics();
    expect(readMetric(second, GAUGE, { app: 'shop' })).toBe(1);
    // An app the query no longer names has no stale series left.
    expect(second).not.toContain('app="clinic"');
  });

  it('answers the scrape in time when the query hangs or fails, with no series and the failure counted', async () => {
    const registry = new Registry();
    let count: () => Promise<Map<string, number>> = () => new Promise(() => undefined);
    createSupportMetrics(registry, { count: () => count(), timeoutMs: 50, logger });
    const started = Date.now();
    const hung = await registry.metrics();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(hung).not.toMatch(new RegExp(`^${GAUGE}\\{`, 'm'));
    count = () => Promise.reject(new Error('database down'));
    const failed = await registry.metrics();
    expect(failed).not.toMatch(new RegExp(`^${GAUGE}\\{`, 'm'));
    expect(readMetric(failed, 'wxcs_support_scrape_query_failures_total')).toBe(2);
  });
});
