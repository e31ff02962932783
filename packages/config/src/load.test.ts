import { describe, expect, it } from 'vitest';
import { problemsOf } from './testing/problems-of.js';
import { loadDashboardConfig, loadMigrateConfig, loadReceiverConfig, loadSupportConfig, loadWorkerConfig } from './load.js';
import { DEVELOPMENT_APP, DEVELOPMENT_SUPPORT_TOKEN } from './development-app.js';
import { PUBLISHED_PROBLEM } from './published-credentials.js';
import { SERVICE_ENV_VARS } from './known-vars.js';

const app = {
  WECHAT_TOKEN: 'AAAAA',
  WECHAT_ENCODING_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  WECHAT_APP_ID: 'wxba5fad812f8e6fb9',
};

describe('loadReceiverConfig', () => {
  it('works on a developer machine with no variables at all', () => {
    const config = loadReceiverConfig({});
    expect(config.redis.target).toEqual({ kind: 'single', url: 'redis://127.0.0.1:6379' });
    expect(config.redis.QUEUE_PREFIX).toBe('wxcs');
    expect(config.receiver.PORT).toBe(3000);
    expect(config.apps).toEqual([DEVELOPMENT_APP]);
  });

  it('reads one mini program from the single-app variables', () => {
    const config = loadReceiverConfig({ ...app, WECHAT_TRANSFER_TO_CUSTOMER_SERVICE: 'true' });
    expect(config.apps).toEqual([
      {
        name: 'default',
        token: 'AAAAA',
        encodingAesKey: app.WECHAT_ENCODING_AES_KEY,
        appId: app.WECHAT_APP_ID,
        transferToCustomerService: true,
        messageEncryption: 'safe',
      },
    ]);
  });

  it('requires encrypted callbacks unless the app is declared to run in plaintext mode', () => {
    expect(loadReceiverConfig({ ...app, WECHAT_MESSAGE_ENCRYPTION: 'plaintext' }).apps[0]?.messageEncryption).toBe('plaintext');
    const problems = problemsOf(() => loadReceiverConfig({ ...app, WECHAT_MESSAGE_ENCRYPTION: 'aes' }));
    expect(problems).toEqual(['WECHAT_MESSAGE_ENCRYPTION: must be one of safe, compatible, plaintext']);
    const apps = [{ name: 'legacy', token: 'tok1', encodingAesKey: app.WECHAT_ENCODING_AES_KEY, appId: 'wx1111111111111111', messageEncryption: 'plaintext' }];
    expect(loadReceiverConfig({ WECHAT_APPS: JSON.stringify(apps) }).apps[0]?.messageEncryption).toBe('plaintext');
  });

  it('reads several mini programs from WECHAT_APPS', () => {
    const apps = [
      { name: 'shop', token: 'tok1', encodingAesKey: app.WECHAT_ENCODING_AES_KEY, appId: 'wx1111111111111111' },
      { name: 'clinic', token: 'tok2', encodingAesKey: app.WECHAT_ENCODING_AES_KEY, appId: 'wx2222222222222222', transferToCustomerService: true },
    ];
    const config = loadReceiverConfig({ WECHAT_APPS: JSON.stringify(apps) });
    expect(config.apps.map((a) => [a.name, a.transferToCustomerService])).toEqual([
      ['shop', false],
      ['clinic', true],
    ]);
  });

  it('lists every bad variable in one error and never echoes values', () => {
    const secretKey = 'not-a-valid-key-but-secret!!';
    const problems = problemsOf(() =>
      loadReceiverConfig({
        NODE_ENV: 'production',
        PORT: 'eighty',
        REDIS_URL: 'http://nope',
        RECEIVER_ENQUEUE_TIMEOUT_MS: '60000',
        WECHAT_TOKEN: 'AAAAA',
        WECHAT_ENCODING_AES_KEY: secretKey,
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT: /),
        expect.stringMatching(/^REDIS_URL: /),
        expect.stringMatching(/^RECEIVER_ENQUEUE_TIMEOUT_MS: must be at most 4000/),
        expect.stringMatching(/^WECHAT_ENCODING_AES_KEY: must be exactly 43/),
        'WECHAT_APP_ID: is required',
      ]),
    );
    expect(problems.join('\n')).not.toContain(secretKey);
  });

  it('refuses the development identity in production', () => {
    const problems = problemsOf(() => loadReceiverConfig({ NODE_ENV: 'production' }));
    expect(problems).toEqual(
      expect.arrayContaining(['WECHAT_TOKEN: is required', 'WECHAT_ENCODING_AES_KEY: is required', 'WECHAT_APP_ID: is required']),
    );
  });

  it('rejects sloppy booleans instead of treating them as false', () => {
    const problems = problemsOf(() => loadReceiverConfig({ ...app, WECHAT_TRANSFER_TO_CUSTOMER_SERVICE: 'ture' }));
    expect(problems).toEqual(['WECHAT_TRANSFER_TO_CUSTOMER_SERVICE: must be one of true, false, 1, 0']);
  });

  it('rejects mixing WECHAT_APPS with the single-app variables, and duplicate names', () => {
    const entry = { name: 'a', token: 'tok', encodingAesKey: app.WECHAT_ENCODING_AES_KEY, appId: 'wx1111111111111111' };
    expect(problemsOf(() => loadReceiverConfig({ ...app, WECHAT_APPS: JSON.stringify([entry]) }))[0]).toMatch(/not both/);
    expect(problemsOf(() => loadReceiverConfig({ WECHAT_APPS: JSON.stringify([entry, entry]) }))[0]).toMatch(/duplicate app names a/);
    expect(problemsOf(() => loadReceiverConfig({ WECHAT_APPS: '{oops' }))[0]).toMatch(/JSON array/);
  });

  it('accepts a Redis Cluster hash-tag queue prefix', () => {
    expect(loadReceiverConfig({ QUEUE_PREFIX: '{wxcs}' }).redis.QUEUE_PREFIX).toBe('{wxcs}');
    expect(problemsOf(() => loadReceiverConfig({ QUEUE_PREFIX: 'has space' }))[0]).toMatch(/^QUEUE_PREFIX/);
  });
});

describe('RECEIVER_REPLICA_ACKS', () => {
  it('is 0 unless asked, with a WAIT timeout inside the enqueue timeout', () => {
    const { receiver } = loadReceiverConfig({});
    expect(receiver.RECEIVER_REPLICA_ACKS).toBe(0);
    expect(2 * receiver.RECEIVER_REPLICA_ACK_TIMEOUT_MS).toBeLessThanOrEqual(receiver.RECEIVER_ENQUEUE_TIMEOUT_MS);
    expect(loadReceiverConfig({ RECEIVER_REPLICA_ACKS: '1' }).receiver.RECEIVER_REPLICA_ACKS).toBe(1);
  });

  it('refuses a WAIT timeout that two WAITs in a row would not fit in the enqueue timeout', () => {
    const env = { RECEIVER_REPLICA_ACKS: '1', RECEIVER_ENQUEUE_TIMEOUT_MS: '1000', RECEIVER_REPLICA_ACK_TIMEOUT_MS: '501' };
    expect(problemsOf(() => loadReceiverConfig(env))).toEqual([
      'RECEIVER_REPLICA_ACK_TIMEOUT_MS: must be at most half of RECEIVER_ENQUEUE_TIMEOUT_MS when RECEIVER_REPLICA_ACKS is above 0',
    ]);
    expect(loadReceiverConfig({ ...env, RECEIVER_REPLICA_ACK_TIMEOUT_MS: '500' }).receiver.RECEIVER_REPLICA_ACK_TIMEOUT_MS).toBe(500);
    // Without replica acknowledgements the WAIT timeout is never used.
    expect(() => loadReceiverConfig({ ...env, RECEIVER_REPLICA_ACKS: '0' })).not.toThrow();
  });

  it('is refused on Redis Cluster, where WAIT cannot be routed to the queue\'s master', () => {
    const cluster = { REDIS_CLUSTER_NODES: '127.0.0.1:7000', QUEUE_PREFIX: '{wx}' };
    expect(problemsOf(() => loadReceiverConfig({ ...cluster, RECEIVER_REPLICA_ACKS: '1' }))).toEqual([
      expect.stringMatching(/^RECEIVER_REPLICA_ACKS: must be 0 on Redis Cluster/),
    ]);
    expect(loadReceiverConfig(cluster).redis.target.kind).toBe('cluster');
    expect(loadReceiverConfig({ REDIS_SENTINELS: '127.0.0.1:26379', REDIS_SENTINEL_MASTER: 'm', RECEIVER_REPLICA_ACKS: '1' }).receiver.RECEIVER_REPLICA_ACKS).toBe(1);
  });

  it('is bounded', () => {
    expect(problemsOf(() => loadReceiverConfig({ RECEIVER_REPLICA_ACKS: '17' }))).toEqual([expect.stringMatching(/^RECEIVER_REPLICA_ACKS: /)]);
    expect(problemsOf(() => loadReceiverConfig({ RECEIVER_REPLICA_ACKS: '-1' }))).toEqual([expect.stringMatching(/^RECEIVER_REPLICA_ACKS: /)]);
  });
});

describe('loadWorkerConfig', () => {
  it('has bounded, working defaults', () => {
    const config = loadWorkerConfig({});
    expect(config.database.DATABASE_URL).toMatch(/^postgresql:\/\//);
    expect(config.worker.WORKER_BATCH_SIZE).toBeGreaterThan(1);
  });

  it('checks that the backoff bounds make sense', () => {
    expect(problemsOf(() => loadWorkerConfig({ WORKER_BACKOFF_BASE_MS: '5000', WORKER_BACKOFF_MAX_MS: '1000' }))).toEqual([
      'WORKER_BACKOFF_MAX_MS: must be at least WORKER_BACKOFF_BASE_MS',
    ]);
  });
});

describe('loadDashboardConfig', () => {
  it('falls back to development credentials outside production', () => {
    expect(loadDashboardConfig({}).dashboard).toMatchObject({ DASHBOARD_USER: 'admin', DASHBOARD_PASSWORD: 'admin' });
  });

  it('refuses to start in production without strong credentials', () => {
    expect(problemsOf(() => loadDashboardConfig({ NODE_ENV: 'production' }))).toEqual([
      'DASHBOARD_USER: is required in production',
      'DASHBOARD_PASSWORD: is required in production',
    ]);
    expect(
      problemsOf(() => loadDashboardConfig({ NODE_ENV: 'production', DASHBOARD_USER: 'ops', DASHBOARD_PASSWORD: 'short' })),
    ).toEqual(['DASHBOARD_PASSWORD: must be at least 12 characters in production']);
  });
});

describe('loadMigrateConfig', () => {
  it('treats empty variables as unset', () => {
    expect(loadMigrateConfig({ DATABASE_URL: '' }).database.DATABASE_URL).toBe('postgresql://postgres@127.0.0.1:5432/wechat_cs');
  });
});

describe('credentials published in this repository', () => {
  const own = { WECHAT_TOKEN: 'ownToken9', WECHAT_ENCODING_AES_KEY: 'Q'.repeat(43), WECHAT_APP_ID: 'wx1234567890abcdef' };

  it('are refused in production, naming each variable', () => {
    const published = { WECHAT_TOKEN: DEVELOPMENT_APP.token, WECHAT_ENCODING_AES_KEY: DEVELOPMENT_APP.encodingAesKey, WECHAT_APP_ID: DEVELOPMENT_APP.appId };
    expect(problemsOf(() => loadReceiverConfig({ NODE_ENV: 'production', ...published }))).toEqual([
      'WECHAT_TOKEN: is a value published in this repository; production needs your own secret',
      'WECHAT_ENCODING_AES_KEY: is a value published in this repository; production needs your own secret',
      'WECHAT_APP_ID: is a value published in this repository; production needs your own secret',
    ]);
    const apps = JSON.stringify([{ name: 'shop', token: own.WECHAT_TOKEN, encodingAesKey: DEVELOPMENT_APP.encodingAesKey, appId: own.WECHAT_APP_ID }]);
    expect(problemsOf(() => loadWorkerConfig({ NODE_ENV: 'production', WECHAT_APPS: apps }))).toEqual([
      'WECHAT_APPS[0].encodingAesKey: is a value published in this repository; production needs your own secret',
    ]);
  });

  it('are refused as the dashboard password and the database password in production', () => {
    expect(
      problemsOf(() => loadDashboardConfig({ NODE_ENV: 'production', DASHBOARD_USER: 'operator', DASHBOARD_PASSWORD: 'change-me-please-now' })),
    ).toEqual(['DASHBOARD_PASSWORD: is a value published in this repository; production needs your own secret']);
    const DATABASE_URL = 'postgresql://wxcs:wxcs-local-only@postgres:5432/wechat_cs';
    const expected = ['DATABASE_URL: its password is a value published in this repository; production needs your own secret'];
    expect(problemsOf(() => loadMigrateConfig({ NODE_ENV: 'production', DATABASE_URL }))).toEqual(expected);
    expect(problemsOf(() => loadWorkerConfig({ NODE_ENV: 'production', DATABASE_URL, ...own }))).toEqual(expected);
  });

  it('are accepted outside production, and own secrets are accepted in production', () => {
    expect(loadMigrateConfig({ DATABASE_URL: 'postgresql://wxcs:wxcs-local-only@127.0.0.1/db' }).database.DATABASE_URL).toContain('wxcs-local-only');
    expect(loadWorkerConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://wxcs:s3cret-of-our-own@db/x', ...own }).apps).toHaveLength(1);
  });
});

describe('loadSupportConfig', () => {
  const own = { WECHAT_TOKEN: 'ownToken9', WECHAT_ENCODING_AES_KEY: 'Q'.repeat(43), WECHAT_APP_ID: 'wx1234567890abcdef' };
  const production = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://wxcs:s3cret-of-our-own@db/x', ...own };

  it('falls back to the development token outside production, and port 3003', () => {
    expect(loadSupportConfig({}).support).toEqual({
      SUPPORT_PORT: 3003,
      tokens: [DEVELOPMENT_SUPPORT_TOKEN],
      SUPPORT_SESSION_IDLE_MINUTES: 480,
      SUPPORT_COOKIE_SECURE: false,
    });
  });

  it('requires tokens in production and refuses short, published or repeated ones', () => {
    expect(problemsOf(() => loadSupportConfig(production))).toEqual(['SUPPORT_API_TOKENS: is required in production']);
    const tokens = [
      { name: 'crm', token: 'short-token' },
      { name: 'crm', token: 'a-long-enough-token-of-our-own-1' },
      { name: 'dev', token: DEVELOPMENT_SUPPORT_TOKEN.token },
    ];
    expect(problemsOf(() => loadSupportConfig({ ...production, SUPPORT_API_TOKENS: JSON.stringify(tokens) }))).toEqual([
      'SUPPORT_API_TOKENS[0].token: must be at least 24 characters in production',
      'SUPPORT_API_TOKENS[1].name: duplicate name',
      'SUPPORT_API_TOKENS[2].token: must be at least 24 characters in production',
    ]);
    const accepted = [{ name: 'crm', token: 'a-long-enough-token-of-our-own-1' }];
    expect(loadSupportConfig({ ...production, SUPPORT_API_TOKENS: JSON.stringify(accepted) }).support.tokens).toEqual(accepted);
  });

  it('refuses plain http to WeChat in production, where every call carries an access token', () => {
    const tokens = JSON.stringify([{ name: 'crm', token: 'a-long-enough-token-of-our-own-1' }]);
    expect(problemsOf(() => loadSupportConfig({ ...production, SUPPORT_API_TOKENS: tokens, WECHAT_API_BASE_URL: 'http://proxy:8080' }))).toEqual([
      'WECHAT_API_BASE_URL: must be https in production (or http to a proxy on 127.0.0.1): every call carries an access token',
    ]);
    const loopback = loadSupportConfig({ ...production, SUPPORT_API_TOKENS: tokens, WECHAT_API_BASE_URL: 'http://127.0.0.1:8080' });
    expect(loopback.wechatApi.WECHAT_API_BASE_URL).toBe('http://127.0.0.1:8080');
    expect(loadWorkerConfig({ WECHAT_API_BASE_URL: 'http://127.0.0.1:9000' }).wechatApi.WECHAT_API_BASE_URL).toBe('http://127.0.0.1:9000');
  });

  it('reads an app secret and refuses the published development one in production', () => {
    expect(loadSupportConfig({ ...app, WECHAT_APP_SECRET: 'abcdef0123456789abcdef0123456789' }).apps[0]?.appSecret).toBe('abcdef0123456789abcdef0123456789');
    expect(loadSupportConfig({ ...app }).apps[0]?.appSecret).toBeUndefined();
    expect(loadWorkerConfig({ ...app, WECHAT_APP_SECRET: '' }).apps[0]?.appSecret).toBeUndefined();
    const tokens = JSON.stringify([{ name: 'crm', token: 'a-long-enough-token-of-our-own-1' }]);
    expect(
      problemsOf(() => loadSupportConfig({ ...production, SUPPORT_API_TOKENS: tokens, WECHAT_APP_SECRET: DEVELOPMENT_APP.appSecret ?? '' })),
    ).toEqual([`WECHAT_APP_SECRET: ${PUBLISHED_PROBLEM}`]);
  });
});

describe('every problem names its variable', () => {
  // Operators grep for the message and the Chinese docs explain it by
  // variable, so each problem starts with `VARIABLE:` (or `WECHAT_APPS[i].field:`).
  const LOADERS = {
    receiver: loadReceiverConfig,
    worker: loadWorkerConfig,
    dashboard: loadDashboardConfig,
    migrate: loadMigrateConfig,
    support: loadSupportConfig,
  } as const;

  /** A value each variable refuses (with what else it needs to be checked at all). */
  const REFUSED: Record<string, Record<string, string>> = {
    NODE_ENV: { NODE_ENV: 'prod' },
    LOG_LEVEL: { LOG_LEVEL: 'verbose' },
    SHUTDOWN_TIMEOUT_MS: { SHUTDOWN_TIMEOUT_MS: 'soon' },
    REDIS_URL: { REDIS_URL: 'localhost:6379' },
    REDIS_SENTINELS: { REDIS_SENTINELS: 'sentinel-1', REDIS_SENTINEL_MASTER: 'wxcs' },
    REDIS_SENTINEL_MASTER: { REDIS_SENTINELS: 'sentinel-1:26379' },
    REDIS_SENTINEL_PASSWORD: { REDIS_SENTINEL_PASSWORD: 'sentinel-secret' },
    REDIS_PASSWORD: { REDIS_PASSWORD: 'node-secret' },
    REDIS_CLUSTER_NODES: { REDIS_CLUSTER_NODES: 'node-1:0', QUEUE_PREFIX: '{wxcs}' },
    QUEUE_PREFIX: { QUEUE_PREFIX: 'has space' },
    QUEUE_JOB_ATTEMPTS: { QUEUE_JOB_ATTEMPTS: '0' },
    DATABASE_URL: { DATABASE_URL: 'mysql://db/wechat_cs' },
    DATABASE_POOL_SIZE: { DATABASE_POOL_SIZE: '-1' },
    PORT: { PORT: 'eighty' },
    RECEIVER_OPS_PORT: { RECEIVER_OPS_PORT: '70000' },
    RECEIVER_BODY_LIMIT_BYTES: { RECEIVER_BODY_LIMIT_BYTES: '1' },
    RECEIVER_ENQUEUE_TIMEOUT_MS: { RECEIVER_ENQUEUE_TIMEOUT_MS: '60000' },
    RECEIVER_BATCH_MAX_SIZE: { RECEIVER_BATCH_MAX_SIZE: '1.5' },
    RECEIVER_REPLICA_ACKS: { RECEIVER_REPLICA_ACKS: '1', REDIS_CLUSTER_NODES: 'node-1:7000', QUEUE_PREFIX: '{wxcs}' },
    RECEIVER_REPLICA_ACK_TIMEOUT_MS: { RECEIVER_REPLICA_ACKS: '1', RECEIVER_REPLICA_ACK_TIMEOUT_MS: '2000' },
    RECEIVER_REQUEST_TIMEOUT_MS: { RECEIVER_REQUEST_TIMEOUT_MS: '1' },
    RECEIVER_TIMESTAMP_TOLERANCE_SECONDS: { RECEIVER_TIMESTAMP_TOLERANCE_SECONDS: '-5' },
    RECEIVER_DELIVERY_WINDOW_SIZE: { RECEIVER_DELIVERY_WINDOW_SIZE: '10' },
    WORKER_PORT: { WORKER_PORT: '0' },
    WORKER_CONCURRENCY: { WORKER_CONCURRENCY: 'many' },
    WORKER_BATCH_SIZE: { WORKER_BATCH_SIZE: '0' },
    WORKER_BATCH_MAX_WAIT_MS: { WORKER_BATCH_MAX_WAIT_MS: '-1' },
    WORKER_BACKOFF_BASE_MS: { WORKER_BACKOFF_BASE_MS: '1' },
    WORKER_BACKOFF_MAX_MS: { WORKER_BACKOFF_MAX_MS: '1' },
    WORKER_STALLED_INTERVAL_MS: { WORKER_STALLED_INTERVAL_MS: '1' },
    WORKER_COMPLETED_RETENTION: { WORKER_COMPLETED_RETENTION: '-1' },
    MEDIA_ARCHIVE_CONCURRENCY: { MEDIA_ARCHIVE_CONCURRENCY: '0' },
    MEDIA_STORE: { MEDIA_STORE: 'disk' },
    MEDIA_MAX_BYTES: { MEDIA_MAX_BYTES: '10' },
    MEDIA_S3_BUCKET: { MEDIA_STORE: 's3' },
    MEDIA_S3_REGION: { MEDIA_S3_REGION: 'Shang Hai' },
    MEDIA_S3_ENDPOINT: { MEDIA_S3_ENDPOINT: 'ftp://cos.example.com' },
    MEDIA_S3_FORCE_PATH_STYLE: { MEDIA_S3_FORCE_PATH_STYLE: 'maybe' },
    MEDIA_S3_ACCESS_KEY_ID: { MEDIA_S3_ACCESS_KEY_ID: 'has space' },
    MEDIA_S3_SECRET_ACCESS_KEY: { MEDIA_STORE: 's3', MEDIA_S3_BUCKET: 'images', MEDIA_S3_ACCESS_KEY_ID: 'AKIDEXAMPLE' },
    MEDIA_S3_PREFIX: { MEDIA_S3_PREFIX: 'no-slash' },
    DASHBOARD_PORT: { DASHBOARD_PORT: '65536' },
    DASHBOARD_PASSWORD: { NODE_ENV: 'production', DASHBOARD_USER: 'ops', DASHBOARD_PASSWORD: 'short' },
    WECHAT_APPS: { WECHAT_APPS: '[]' },
    WECHAT_APP_NAME: { ...app, WECHAT_APP_NAME: 'Has Space' },
    WECHAT_TOKEN: { ...app, WECHAT_TOKEN: 'x' },
    WECHAT_ENCODING_AES_KEY: { ...app, WECHAT_ENCODING_AES_KEY: 'short' },
    WECHAT_APP_ID: { ...app, WECHAT_APP_ID: 'gh_0123456789ab' },
    WECHAT_TRANSFER_TO_CUSTOMER_SERVICE: { ...app, WECHAT_TRANSFER_TO_CUSTOMER_SERVICE: 'yes' },
    WECHAT_MESSAGE_ENCRYPTION: { ...app, WECHAT_MESSAGE_ENCRYPTION: 'aes' },
    WECHAT_APP_SECRET: { ...app, WECHAT_APP_SECRET: 'not-a-secret' },
    WECHAT_API_BASE_URL: { WECHAT_API_BASE_URL: 'ftp://api.weixin.qq.com' },
    WECHAT_API_TIMEOUT_MS: { WECHAT_API_TIMEOUT_MS: '10' },
    SUPPORT_PORT: { SUPPORT_PORT: 'http' },
    SUPPORT_SESSION_IDLE_MINUTES: { SUPPORT_SESSION_IDLE_MINUTES: '1' },
    SUPPORT_COOKIE_SECURE: { SUPPORT_COOKIE_SECURE: 'yes' },
    SUPPORT_API_TOKENS: { SUPPORT_API_TOKENS: '[]' },
  };
  /** Any non-empty text is accepted (and empty means unset), so these have no refused value. */
  const ANY_TEXT = new Set(['HOST', 'RECEIVER_SPOOL_DIR', 'DASHBOARD_USER']);

  const cases = Object.entries(SERVICE_ENV_VARS).flatMap(([service, variables]) =>
    variables.filter((variable) => !ANY_TEXT.has(variable)).map((variable) => [service as keyof typeof LOADERS, variable] as const),
  );

  it.each(cases)('%s: a refused %s is named', (service, variable) => {
    const env = REFUSED[variable];
    expect(env, `a refused value for ${variable} in this table`).toBeDefined();
    const problems = problemsOf(() => LOADERS[service](env ?? {}));
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^${variable}: `)));
  });

  it('names the variable, then the place inside WECHAT_APPS', () => {
    const entry = { name: 'shop', token: 'tok1', encodingAesKey: app.WECHAT_ENCODING_AES_KEY, appId: 'wx1111111111111111' };
    expect(problemsOf(() => loadReceiverConfig({ WECHAT_APPS: '{"name":"shop"}' }))).toEqual([
      'WECHAT_APPS: must be a JSON array of apps',
    ]);
    expect(problemsOf(() => loadReceiverConfig({ WECHAT_APPS: JSON.stringify([entry, { ...entry, name: 'b', token: 'x' }]) }))).toEqual([
      'WECHAT_APPS[1].token: must be 3-32 letters or digits (WeChat console rule)',
    ]);
  });

  it('refuses an S3 store with example credentials or plain http to another host in production', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://wxcs:s3cret-of-our-own@db/x', WECHAT_TOKEN: 'ownToken9', WECHAT_ENCODING_AES_KEY: 'Q'.repeat(43), WECHAT_APP_ID: 'wx1234567890abcdef' };
    const tokens = JSON.stringify([{ name: 'crm', token: 'a-long-enough-token-of-our-own-1' }]);
    const s3 = { MEDIA_STORE: 's3', MEDIA_S3_BUCKET: 'images', MEDIA_S3_ACCESS_KEY_ID: 'minio', MEDIA_S3_SECRET_ACCESS_KEY: 'minioadmin', MEDIA_S3_ENDPOINT: 'http://minio:9000' };
    expect(loadWorkerConfig(s3).media).toMatchObject({ MEDIA_STORE: 's3', MEDIA_S3_BUCKET: 'images', MEDIA_S3_PREFIX: '' });
    const problems = problemsOf(() => loadWorkerConfig({ ...production, ...s3 }));
    expect(problems).toContainEqual(expect.stringMatching(/^MEDIA_S3_SECRET_ACCESS_KEY: is a value published/));
    expect(problems).toContainEqual(expect.stringMatching(/^MEDIA_S3_ENDPOINT: must be https in production/));
    expect(problemsOf(() => loadSupportConfig({ ...production, SUPPORT_API_TOKENS: tokens, ...s3 }))).toContainEqual(
      expect.stringMatching(/^MEDIA_S3_SECRET_ACCESS_KEY: /),
    );
    const own = { ...s3, MEDIA_S3_SECRET_ACCESS_KEY: 'a-secret-of-our-own-0123456789', MEDIA_S3_ENDPOINT: 'https://cos.ap-shanghai.myqcloud.com' };
    expect(loadWorkerConfig({ ...production, ...own }).media.MEDIA_S3_ENDPOINT).toBe('https://cos.ap-shanghai.myqcloud.com');
  });

  it('words refused choices in our own stable terms', () => {
    expect(problemsOf(() => loadMigrateConfig({ NODE_ENV: 'prod', LOG_LEVEL: 'verbose' }))).toEqual([
      'NODE_ENV: must be one of development, production, test',
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
  });
});
