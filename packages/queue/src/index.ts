export { catalog, deadLetterQueue, findQueueRecord, inboundQueue, intakeQueue, mediaQueue, outboundQueue, type QueueRecord } from './catalog.js';
export {
  callbackBatchSchema,
  inboundCallbackSchema,
  mediaArchiveJobSchema,
  outboundReplySchema,
  type CallbackBatch,
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
  type IntakeQueue,
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
export { addCallbackBatch, addInboundJobs } from './inbound-jobs.js';
export { addMediaArchiveJobs } from './media-jobs.js';
