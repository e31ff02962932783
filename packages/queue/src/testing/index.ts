export { TEST_REDIS_URL, deleteQueuePrefix, uniqueQueuePrefix } from './redis.js';
