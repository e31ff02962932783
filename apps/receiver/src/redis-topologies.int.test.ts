import { randomBytes } from 'node:crypto';
import { loadReceiverConfig } from '@wxcs/config';
import { makeTempDir, type CleanupStack } from '@wxcs/testkit';
import { topologyTest } from '@wxcs/testkit/fixtures';
import { sampleCredentials, simulateCallback } from '@wxcs/wechat/testing';
import { describe, expect } from 'vitest';
import { openQueueProbe, startTestReceiver } from './testing/receiver-harness.js';
import { TEST_APPS, getPath, postCallback } from './testing/requests.js';

const credentials = sampleCredentials();

const test = topologyTest;

/**
 * The receiver as main.ts starts it, configured by the topology's variables
 * through the real loader: it is ready, it acknowledges signed callbacks, and
 * each one is in the intake queue, none in the spool.
 */
async function acknowledgeAndEnqueue(cleanup: CleanupStack, redisEnv: Readonly<Record<string, string>>, prefix: string): Promise<void> {
  const spoolDir = await makeTempDir('topology-spool');
  cleanup.defer('spool dir', spoolDir.remove);
  const receiver = await startTestReceiver({ prefix, apps: TEST_APPS, spoolDir: spoolDir.path, redisEnv });
  cleanup.defer('receiver', receiver.stop);
  const probe = await openQueueProbe(prefix, loadReceiverConfig({ ...redisEnv, QUEUE_PREFIX: prefix }).redis.target);
  cleanup.defer('probe', probe.close);

  expect((await getPath(receiver.opsUrl, '/readyz')).status).toBe(200);
  const nonces = ['one', 'two', 'three'];
  const answers = await Promise.all(
    nonces.map((nonce) =>
      postCallback(receiver.url, '/wechat/default', simulateCallback({ app: credentials, message: 'text', format: 'json', mode: 'safe', nonce })),
    ),
  );
  expect(answers.map((answer) => answer.text)).toEqual(['success', 'success', 'success']);
  expect((await probe.callbacks()).map((callback) => callback.query.nonce).toSorted()).toEqual(nonces.toSorted());
  expect(receiver.spool.depth()).toBe(0);
}

const uniqueTag = () => randomBytes(4).toString('hex');

describe('the receiver on Redis Sentinel', () => {
  test('acknowledges signed callbacks and puts them in the queue through the sentinels', async ({ sentinel, cleanup }) => {
    await acknowledgeAndEnqueue(cleanup, sentinel.env, `test-sentinel-${uniqueTag()}`);
  });
});

describe('the receiver on Redis Cluster', () => {
  test('acknowledges signed callbacks and puts them in the queue under a {hash tag} prefix', async ({ cluster, cleanup }) => {
    await acknowledgeAndEnqueue(cleanup, cluster.env, `test-{wx${uniqueTag()}}`);
  });
});
