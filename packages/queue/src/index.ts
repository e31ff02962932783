export { catalog, deadLetterQueue, findQueueRecord, inboundQueue, mediaQueue, outboundQueue, type QueueRecord } from './catalog.js';
export {
  inboundCallbackSchema,
  mediaArchiveJobSchema,
  outboundReplySchema,
  type InboundCallback,
  type MediaArchiveJob,
  type OutboundReply,
} from './payloads.js';
export type { DeadLetter } from './dead-letter-schema.js';
export {
  FAILED_JOB_RETENTION,
  JITTERED_BACKOFF,
  jitteredBackoffDelay,
  type BackoffPolicy,
  type JobPolicy,
} from './job-options.js';
export { createConsumerRedis, createProducerRedis, type Cluster, type ReconnectOptions, type Redis, type RedisConnection } from './connections.js';
export {
  openQueue,
  type CatalogQueue,
  type DeadLetterQueue,
  type InboundQueue,
  type MediaQueue,
  type OutboundQueue,
  type OriginQueue,
  type QueueHandleOptions,
} from './queues.js';
export {
  addDeadLetter,
  listDeadLetters,
  pageDeadLetters,
  payloadApp,
  purgeDeadLetters,
  replayDeadLetters,
  type DeadLetterFilter,
  type DeadLetterPage,
  type StoredDeadLetter,
} from './dead-letters.js';
export { addMediaArchiveJobs } from './media-jobs.js';
