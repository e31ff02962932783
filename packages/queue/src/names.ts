/** Every raw callback the receiver accepted, waiting for the worker. */
export const INBOUND_QUEUE = 'wechat-inbound';

/**
 * Callbacks the worker could not store, with the reason. Nothing consumes it:
 * jobs wait there until an operator replays or purges them.
 */
export const DEAD_LETTER_QUEUE = 'wechat-dead-letter';

/** BullMQ job names, so the dashboard shows what a job is. */
export const INBOUND_JOB = 'callback';
export const DEAD_LETTER_JOB = 'dead-letter';
