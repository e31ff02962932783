import { randomBytes } from 'node:crypto';
import { addDeadLetter, catalog, listDeadLetters } from '@wxcs/queue';
import type { CleanupStack } from '@wxcs/testkit';
import { topologyTest } from '@wxcs/testkit/fixtures';
import { describe, expect } from 'vitest';
import { TEST_CREDENTIALS, deadLetterOf, plainCallback, startTestDashboard } from './testing/dashboard.js';
import { basicAuth, send } from './testing/http.js';

const test = topologyTest;

/** The dashboard as main.ts starts it on the topology: the board lists the catalog, and a dead letter replays into its queue. */
async function boardAndReplay(cleanup: CleanupStack, redisEnv: Readonly<Record<string, string>>, prefix: string): Promise<void> {
  const dashboard = await startTestDashboard('redis-topologies', { prefix, redisEnv });
  cleanup.defer('dashboard', dashboard.stop);
  const asOperator = (method: string, path: string) =>
    send(dashboard.port, {
      method,
      path,
      headers: { authorization: basicAuth(TEST_CREDENTIALS.user, TEST_CREDENTIALS.password), origin: dashboard.origin, 'sec-fetch-site': 'same-origin' },
    });

  const api = await asOperator('GET', '/api/queues');
  expect(api.status).toBe(200);
  expect((JSON.parse(api.body) as { queues: { name: string }[] }).queues.map((queue) => queue.name)).toEqual(catalog.map((record) => record.name));

  const letter = deadLetterOf(plainCallback('cb-topology'));
  const id = await addDeadLetter(dashboard.deadLetters, letter);
  expect((await asOperator('POST', `/dead-letters/${id}/replay`)).status).toBe(303);
  expect((await dashboard.inbound.getWaiting()).map((job) => job.data)).toEqual([letter.payload]);
  expect(await listDeadLetters(dashboard.deadLetters)).toEqual([]);
}

const uniqueTag = () => randomBytes(4).toString('hex');

describe('the dashboard on Redis Sentinel', () => {
  test('shows the board and replays a dead letter', async ({ sentinel, cleanup }) => {
    await boardAndReplay(cleanup, sentinel.env, `test-sentinel-${uniqueTag()}`);
  });
});

describe('the dashboard on Redis Cluster', () => {
  test('shows the board and replays a dead letter under a {hash tag} prefix', async ({ cluster, cleanup }) => {
    await boardAndReplay(cleanup, cluster.env, `test-{wx${uniqueTag()}}`);
  });
});
