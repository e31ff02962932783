export { TEST_REDIS_TARGET, TEST_REDIS_URL, deleteQueuePrefix, uniqueQueuePrefix } from './redis.js';
export { openQueueSpace, queueSpaceTest, type QueueSpace } from './queue-space.js';
