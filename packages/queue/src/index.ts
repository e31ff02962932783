export { DEAD_LETTER_JOB, DEAD_LETTER_QUEUE, INBOUND_JOB, INBOUND_QUEUE } from './names.js';
export { deadLetterSchema, inboundCallbackSchema, type DeadLetter, type InboundCallback } from './payloads.js';
export {
  JITTERED_BACKOFF,
  deadLetterJobOptions,
  inboundJobOptions,
  jitteredBackoffDelay,
  type BackoffPolicy,
  type InboundJobPolicy,
} from './job-options.js';
export { createConsumerRedis, createProducerRedis, type Redis } from './connections.js';
export {
  createDeadLetterQueue,
  createInboundQueue,
  type DeadLetterQueue,
  type InboundQueue,
  type QueueHandleOptions,
} from './queues.js';
export {
  addDeadLetter,
  listDeadLetters,
  pageDeadLetters,
  purgeDeadLetters,
  replayDeadLetters,
  type DeadLetterFilter,
  type DeadLetterPage,
  type StoredDeadLetter,
} from './dead-letters.js';
