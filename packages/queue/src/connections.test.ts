import { createServer } from 'node:net';
import type { RedisTarget } from '@wxcs/config';
import { Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createConsumerRedis, createProducerRedis, type RedisConnection } from './connections.js';

/** A loopback port nothing listens on: every connection attempt is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function topologies(): Promise<Record<RedisTarget['kind'], RedisTarget>> {
  const port = await closedPort();
  return {
    single: { kind: 'single', url: `redis://127.0.0.1:${port}` },
    sentinel: { kind: 'sentinel', sentinels: [{ host: '127.0.0.1', port }], masterName: 'wxcs' },
    cluster: { kind: 'cluster', nodes: [{ host: '127.0.0.1', port }] },
  };
}

/** Settles within `ms` with the outcome, or says it is still pending. */
async function outcomeWithin(promise: Promise<unknown>, ms: number): Promise<'resolved' | 'rejected' | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), ms)));
  try {
    return await Promise.race([promise.then(() => 'resolved' as const, () => 'rejected' as const), pending]);
  } finally {
    clearTimeout(timer);
  }
}

function startConnecting(connection: RedisConnection): void {
  connection.on('error', () => undefined);
  connection.connect().catch(() => undefined);
}

describe.each(['single', 'sentinel', 'cluster'] as const)('on %s', (kind) => {
  it('a producer fails a command at once while Redis is unreachable', async () => {
    const producer = createProducerRedis((await topologies())[kind]);
    startConnecting(producer);
    try {
      expect(await outcomeWithin(producer.ping(), 500)).toBe('rejected');
    } finally {
      producer.disconnect();
    }
  });

  it('a consumer holds a command until Redis is back', async () => {
    const consumer = createConsumerRedis((await topologies())[kind]);
    startConnecting(consumer);
    const ping = consumer.ping();
    try {
      expect(await outcomeWithin(ping, 1_000)).toBe('pending');
    } finally {
      // ioredis may leave an offline-queued command unsettled after disconnect; nothing awaits it.
      ping.catch(() => undefined);
      consumer.disconnect();
    }
  });
});

describe('the client for each topology', () => {
  it('is a Cluster only on Cluster, and BullMQ finds maxRetriesPerRequest null where it looks', async () => {
    const { single, sentinel, cluster } = await topologies();
    const clients = [createConsumerRedis(single), createConsumerRedis(sentinel), createConsumerRedis(cluster)];
    try {
      const [a, b, c] = clients;
      expect([a, b, c].map((client) => client instanceof Cluster)).toEqual([false, false, true]);
      expect(a instanceof Redis && a.options.maxRetriesPerRequest).toBeNull();
      expect(b instanceof Redis && b.options.maxRetriesPerRequest).toBeNull();
      // BullMQ reads a Cluster's per-node options to refuse a worker that would give up.
      expect(c instanceof Cluster && c.options.redisOptions?.maxRetriesPerRequest).toBeNull();
    } finally {
      for (const client of clients) client.disconnect();
    }
  });

  it('speaks TLS to a rediss:// URL and passes both passwords to a Sentinel setup', () => {
    const tls = createProducerRedis({ kind: 'single', url: 'rediss://127.0.0.1:6380' });
    const sentinel = createProducerRedis({
      kind: 'sentinel',
      sentinels: [{ host: '127.0.0.1', port: 26379 }],
      masterName: 'wxcs',
      sentinelPassword: 's',
      password: 'p',
    });
    try {
      expect(tls instanceof Redis && tls.options.tls).toBeTruthy();
      expect(sentinel instanceof Redis && [sentinel.options.name, sentinel.options.sentinelPassword, sentinel.options.password]).toEqual(['wxcs', 's', 'p']);
    } finally {
      tls.disconnect();
      sentinel.disconnect();
    }
  });
});
