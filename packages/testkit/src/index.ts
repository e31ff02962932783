// Test-only kit for the reliability, hostile-input and load suites.
export type { CleanupStack } from './cleanup-stack.js';
export { sleep, waitFor } from './wait-for.js';
export { freePort } from './servers/free-port.js';
export { makeTempDir, type TempDir } from './servers/temp-dir.js';
export { startThrowawayRedis, type ThrowawayRedis, type ThrowawayRedisOptions } from './servers/throwaway-redis.js';
export { REDIS_SERVER, startRedisProcess, type RedisProcess } from './servers/redis-process.js';
export { startThrowawaySentinel, type ThrowawaySentinel, type ThrowawaySentinelOptions } from './servers/throwaway-sentinel.js';
export { startThrowawayCluster, type ThrowawayCluster, type ThrowawayClusterOptions } from './servers/throwaway-cluster.js';
export {
  startThrowawayPostgres,
  type ThrowawayPostgres,
  type ThrowawayPostgresOptions,
} from './servers/throwaway-postgres.js';
export {
  startAppProcess,
  type AppName,
  type AppProcess,
  type AppProcessOptions,
  type ExitStatus,
} from './process/app-process.js';
export { readMetric } from './process/metrics-text.js';
export { createMutant, type Mutant, type MutantPatch } from './process/mutant.js';
export {
  createRandom,
  type MessageKind,
  type PlannedDelivery,
} from './load/message-plan.js';
export { percentile, type LatencySummary } from './load/percentiles.js';
export {
  WECHAT_ACK_BUDGET_MS,
  runSignedLoad,
  startSignedLoad,
  type LoadProgress,
  type LoadReport,
  type LoadRun,
  type RequestRecord,
  type SignedLoadOptions,
} from './load/signed-load.js';
export { isDrained, queueCounts, queuedCallbackIds, totalJobs, type JobCounts, type QueueCounts } from './queue-probe.js';
export { rawRequest, type RawExchange, type RawRequestOptions } from './raw-http.js';
export {
  auditTable,
  endToEndLatency,
  type EndToEndLatency,
  type MarkerCount,
  type TableAudit,
} from './report/table-audit.js';
export { reportStats, type StatsInput } from './report/stats-line.js';
export {
  startFakeWechatApi,
  type FakeApp,
  type FakeWechatApi,
  type FakeWechatApiOptions,
  type ReplyWindow,
  type ScriptedFailure,
  type SentMessage,
  type TokenFetchCounts,
} from './wechat-api/fake-wechat-api.js';
export { SMALL_JPEG, jpegOfSize, pngImage } from './images.js';
export { startThrowawayS3, type ThrowawayS3 } from './servers/throwaway-s3.js';
