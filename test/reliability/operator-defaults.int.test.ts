// Defaults an operator gets without asking, against the real processes:
// production refuses every secret published in this repository, and the
// receiver's buffered logs still show up promptly when traffic is low.
import { randomBytes } from 'node:crypto';
import { DEVELOPMENT_APP } from '@wxcs/config';
import { describe, expect } from 'vitest';
import { freePort, startAppProcess, startThrowawayRedis, waitFor, type AppName, type CleanupStack } from '@wxcs/testkit';
import { testWithCleanup as test } from '@wxcs/testkit/fixtures';
import { randomAlphanumeric } from './support/secrets.js';

const published = {
  WECHAT_TOKEN: DEVELOPMENT_APP.token,
  WECHAT_ENCODING_AES_KEY: DEVELOPMENT_APP.encodingAesKey,
  WECHAT_APP_ID: DEVELOPMENT_APP.appId,
  DASHBOARD_USER: 'operator',
  DASHBOARD_PASSWORD: 'change-me-please-now',
  DATABASE_URL: 'postgresql://wxcs:wxcs-local-only@127.0.0.1:5432/wechat_cs',
};

async function startupFailure(cleanup: CleanupStack, app: AppName, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = startAppProcess({ app, port: await freePort(), ...(app === 'receiver' ? { opsPort: await freePort() } : {}), env });
  cleanup.defer(`${app} process`, () => child.stop('SIGKILL'));
  const status = await Promise.race([child.exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 30_000))]);
  return { code: status?.code ?? null, output: child.lines().join('\n') };
}

describe('in production', () => {
  test.for([
    ['receiver', ['WECHAT_TOKEN', 'WECHAT_ENCODING_AES_KEY', 'WECHAT_APP_ID']],
    ['worker', ['WECHAT_TOKEN', 'WECHAT_ENCODING_AES_KEY', 'WECHAT_APP_ID', 'DATABASE_URL']],
    ['dashboard', ['DASHBOARD_PASSWORD']],
  ] as const)('the %s refuses to start with published secrets and names each variable', async ([app, variables], { cleanup }) => {
    const { code, output } = await startupFailure(cleanup, app, { NODE_ENV: 'production', ...published });
    expect(code).toBe(1);
    for (const variable of variables) expect(output).toContain(`${variable}: `);
    expect(output).toContain('published in this repository');
  });
});

describe('the receiver at low traffic', () => {
  test('writes its log lines within about a second instead of holding them in its buffer', async ({ cleanup }) => {
    const redis = await startThrowawayRedis();
    cleanup.defer('redis', redis.dispose);
    const receiver = startAppProcess({
      app: 'receiver',
      port: await freePort(),
      opsPort: await freePort(),
      env: {
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        REDIS_URL: redis.url,
        QUEUE_PREFIX: 'rel-quiet',
        HOST: '127.0.0.1',
        RECEIVER_SPOOL_DIR: `/tmp/rel-quiet-${randomBytes(4).toString('hex')}`,
        WECHAT_TOKEN: randomAlphanumeric(32),
        WECHAT_ENCODING_AES_KEY: randomAlphanumeric(43),
        WECHAT_APP_ID: `wx${randomBytes(8).toString('hex')}`,
      },
    });
    cleanup.defer('receiver', () => receiver.stop());
    await receiver.waitReady();
    const listening = () => receiver.lines().some((line) => line.includes('"msg":"receiver listening"'));
    await waitFor('the start-up line on stdout', () => listening(), { timeoutMs: 3_000 }).catch(() => undefined);
    expect(listening()).toBe(true);
  });
});
