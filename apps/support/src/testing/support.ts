import { loadSupportConfig } from '@wxcs/config';
import type { PrismaClient } from '@wxcs/db';
import { createTestDatabase } from '@wxcs/db/testing';
import { createLogger } from '@wxcs/logger';
import { TEST_REDIS_URL, deleteQueuePrefix, uniqueQueuePrefix } from '@wxcs/queue/testing';
import { startFakeWechatApi, type FakeWechatApi } from '@wxcs/testkit';
import type { ConfiguredApp } from '@wxcs/wechat';
import { testWithCleanup } from '@wxcs/testkit/fixtures';
import { startSupport, type RunningSupport, type SupportOverrides } from '../main.js';
import { callApi, type ApiRequest, type ApiResponse } from './http.js';

/** Two integrations, so a test can tell whose name a reply records. */
export const TEST_TOKENS = [
  { name: 'crm', token: 'crm-test-token-7f3a9c1e5b2d8f40' },
  { name: 'bot', token: 'bot-test-token-2b6e0d4a8c1f9e73' },
] as const;

/** An app that can answer (it has its AppSecret), and one that only receives. */
export const SHOP = { name: 'shop', appId: 'wx5f0c2e7a9d1b3c48', appSecret: '7c3e9a1f5b2d8e4a6c0f1b3d5e7a9c2b' } as const;
export const CLINIC = { name: 'clinic', appId: 'wx1a2b3c4d5e6f7a8b' } as const;

/** Both apps as the config loader gives them (WECHAT_APPS). */
export const TEST_APPS: readonly ConfiguredApp[] = [
  { name: SHOP.name, token: 'shopToken2026', encodingAesKey: 'Sh0p'.repeat(10) + 'Sh0', appId: SHOP.appId, appSecret: SHOP.appSecret, messageEncryption: 'safe', transferToCustomerService: false },
  { name: CLINIC.name, token: 'clinicToken2026', encodingAesKey: 'C1in'.repeat(10) + 'C1i', appId: CLINIC.appId, messageEncryption: 'safe', transferToCustomerService: false },
];

export interface TestSupport extends RunningSupport {
  readonly origin: string;
  readonly prefix: string;
  readonly prisma: PrismaClient;
  readonly databaseUrl: string;
  readonly fake: FakeWechatApi;
  /** A request as an integration sends it: with the crm token unless `token` says otherwise (null: none). */
  readonly call: (path: string, request?: Omit<ApiRequest, 'token'> & { token?: string | null }) => Promise<ApiResponse>;
}

/**
 * The support API as main.ts starts it (startSupport), configured through the
 * real config loader, on an ephemeral port, over a database and a queue
 * prefix of its own, talking to a fake WeChat API of its own. Everything is
 * stopped after the file's last test.
 */
export function supportTest(label: string, options: Pick<SupportOverrides, 'webRoot' | 'changeFeedIntervalMs' | 'eventsHeartbeatMs'> = {}) {
  return testWithCleanup.extend('support', { scope: 'file' }, async ({ cleanup }): Promise<TestSupport> => {
    const db = await createTestDatabase(`support-${label}`);
    cleanup.defer('database', () => db.drop());
    const fake = await startFakeWechatApi({ apps: [{ appId: SHOP.appId, secret: SHOP.appSecret }] });
    cleanup.defer('fake WeChat API', () => fake.close());
    const prefix = uniqueQueuePrefix(`support-${label}`);
    cleanup.defer('queue prefix', () => deleteQueuePrefix(TEST_REDIS_URL, prefix));
    const config = loadSupportConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: '4',
      WECHAT_APPS: JSON.stringify(TEST_APPS),
      WECHAT_API_BASE_URL: fake.url,
      WECHAT_API_TIMEOUT_MS: '2000',
      SUPPORT_API_TOKENS: JSON.stringify(TEST_TOKENS),
      SHUTDOWN_TIMEOUT_MS: '10000',
    });
    const exitCodes: number[] = [];
    const running = await startSupport(config, { logger: createLogger({ name: 'support', level: 'silent' }), exit: (code) => exitCodes.push(code) }, { port: 0, ...options });
    cleanup.defer('support', async () => {
      await running.shutdown.shutdown('test');
      if (exitCodes.some((code) => code !== 0)) throw new Error(`support exited with ${exitCodes.join(', ')}`);
    });
    const origin = `http://127.0.0.1:${running.port}`;
    return {
      ...running,
      origin,
      prefix,
      prisma: db.prisma,
      databaseUrl: db.url,
      fake,
      call: (path, request = {}) => {
        const { token, ...rest } = request;
        return callApi(origin, path, { ...rest, token: token === null ? undefined : (token ?? TEST_TOKENS[0].token) });
      },
    };
  });
}

/** A text reply in WeChat's shape. */
export const textReply = (content: string) => ({ msgtype: 'text', text: { content } });
