import { describe, expect, it } from 'vitest';
import { parseInfo } from '../servers/throwaway-redis.js';
import { readMetric } from './metrics-text.js';

describe('readMetric', () => {
  const text = [
    '# HELP wxcs_receiver_requests_total x',
    'wxcs_receiver_requests_total{service="receiver",outcome="queued"} 12',
    'wxcs_receiver_requests_total{service="receiver",outcome="spooled"} 3',
    'wxcs_receiver_requests_total_other 99',
    'wxcs_receiver_spool_depth{service="receiver"} 0',
    'process_resident_memory_bytes 1.5e+7',
  ].join('\n');

  it('sums the samples whose labels match, by exact metric name', () => {
    expect(readMetric(text, 'wxcs_receiver_requests_total')).toBe(15);
    expect(readMetric(text, 'wxcs_receiver_requests_total', { outcome: 'spooled' })).toBe(3);
    expect(readMetric(text, 'process_resident_memory_bytes')).toBe(15_000_000);
    expect(readMetric(text, 'missing')).toBe(0);
  });
});

describe('parseInfo', () => {
  it('reads INFO key:value lines and skips section headers', () => {
    expect(parseInfo('# Memory\r\nused_memory:1024\r\nused_memory_human:1.00K\r\n\r\n')).toEqual({
      used_memory: '1024',
      used_memory_human: '1.00K',
    });
  });
});
