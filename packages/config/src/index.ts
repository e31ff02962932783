export { ConfigError } from './config-error.js';
export { SERVICE_ENV_VARS } from './known-vars.js';
export type { Env } from './env-types.js';
export { DEVELOPMENT_APP, DEVELOPMENT_SUPPORT_TOKEN } from './development-app.js';
export type { SupportApiToken } from './support-tokens.js';
export { DEVELOPMENT_STAFF, STAFF_NAME_PATTERN, staffPasswordProblems } from './staff-password.js';
export type { WechatAppConfig } from './wechat-apps.js';
export type { MediaStoreConfig } from './media-store.js';
export { hasHashTag, type RedisConfig, type RedisNode, type RedisTarget } from './redis-target.js';
export {
  loadDashboardConfig,
  loadMigrateConfig,
  loadReceiverConfig,
  loadSupportConfig,
  loadWorkerConfig,
  type CommonConfig,
  type DashboardConfig,
  type DatabaseConfig,
  type MigrateConfig,
  type ReceiverConfig,
  type SupportConfig,
  type WechatApiConfig,
  type WorkerConfig,
} from './load.js';
