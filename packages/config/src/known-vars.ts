import { mediaEnv } from './media-store.js';
import { commonEnv, dashboardEnv, databaseEnv, receiverEnv, redisEnv, supportEnv, wechatApiEnv, workerEnv } from './sections.js';

const WECHAT_VARS = [
  'WECHAT_APPS',
  'WECHAT_APP_NAME',
  'WECHAT_TOKEN',
  'WECHAT_ENCODING_AES_KEY',
  'WECHAT_APP_ID',
  'WECHAT_TRANSFER_TO_CUSTOMER_SERVICE',
  'WECHAT_MESSAGE_ENCRYPTION',
  'WECHAT_APP_SECRET',
] as const;

/**
 * Every variable each service reads, so deployment files (docker-compose,
 * .env.example) can be checked against what the code really accepts.
 */
export const SERVICE_ENV_VARS = {
  receiver: [...Object.keys(commonEnv.shape), ...Object.keys(redisEnv.shape), ...Object.keys(receiverEnv.shape), ...WECHAT_VARS],
  worker: [
    ...Object.keys(commonEnv.shape),
    ...Object.keys(redisEnv.shape),
    ...Object.keys(databaseEnv.shape),
    ...Object.keys(workerEnv.shape),
    ...Object.keys(wechatApiEnv.shape),
    ...Object.keys(mediaEnv.shape),
    ...WECHAT_VARS,
  ],
  support: [
    ...Object.keys(commonEnv.shape),
    ...Object.keys(redisEnv.shape),
    ...Object.keys(databaseEnv.shape),
    ...Object.keys(wechatApiEnv.shape),
    ...Object.keys(mediaEnv.shape),
    ...Object.keys(supportEnv.shape),
    ...WECHAT_VARS,
  ],
  dashboard: [...Object.keys(commonEnv.shape), ...Object.keys(redisEnv.shape), ...Object.keys(dashboardEnv.shape)],
  migrate: [...Object.keys(commonEnv.shape), ...Object.keys(databaseEnv.shape)],
} as const satisfies Record<string, readonly string[]>;
