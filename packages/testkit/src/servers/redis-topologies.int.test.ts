import { describe, expect, it } from 'vitest';
import { waitFor } from '../wait-for.js';
import { startThrowawayCluster } from './throwaway-cluster.js';
import { startThrowawaySentinel } from './throwaway-sentinel.js';

// Each topology takes seconds to start and to fail over, so one test each
// covers start, the kill control, the failover the later fault tests rely
// on, and teardown.
describe('startThrowawaySentinel', () => {
  it('starts a master the sentinels replace with its replica within seconds of a SIGKILL, and tears everything down', async () => {
    const sentinel = await startThrowawaySentinel();
    try {
      const [first, second] = sentinel.nodes;
      expect(await sentinel.master()).toBe(first);
      await first?.kill();
      await waitFor('the sentinels to promote the replica', async () => (await sentinel.masterPort()) === second?.port, { timeoutMs: 15_000, everyMs: 250 });
    } finally {
      await sentinel.dispose();
    }
    expect([...sentinel.nodes, ...sentinel.sentinels].some((process) => process.isRunning())).toBe(false);
  });
});

describe('startThrowawayCluster', () => {
  it('starts three masters whose replica takes over within seconds of a SIGKILL, and tears everything down', async () => {
    const cluster = await startThrowawayCluster();
    try {
      const masters = await cluster.masters();
      expect(masters).toHaveLength(3);
      const killed = await cluster.masterOf('{wx}:wechat-inbound:wait');
      expect(masters).toContain(killed);
      await killed.kill();
      await waitFor(
        'a replica to take over the killed master and its slots',
        async () => {
          const now = await cluster.masters();
          return now.length === 3 && !now.includes(killed) && now.includes(await cluster.masterOf('{wx}'));
        },
        { timeoutMs: 15_000, everyMs: 250 },
      );
    } finally {
      await cluster.dispose();
    }
    expect(cluster.nodes.some((node) => node.isRunning())).toBe(false);
  });
});
