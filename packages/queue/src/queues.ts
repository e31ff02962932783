import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DEAD_LETTER_QUEUE, INBOUND_QUEUE } from './names.js';
import type { DeadLetter, InboundCallback } from './payloads.js';

export type InboundQueue = Queue<InboundCallback, unknown, string>;
export type DeadLetterQueue = Queue<DeadLetter, unknown, string>;

export interface QueueHandleOptions {
  readonly connection: Redis;
  readonly prefix: string;
}

export function createInboundQueue(options: QueueHandleOptions): InboundQueue {
  return new Queue<InboundCallback, unknown, string>(INBOUND_QUEUE, {
    connection: options.connection,
    prefix: options.prefix,
  });
}

export function createDeadLetterQueue(options: QueueHandleOptions): DeadLetterQueue {
  return new Queue<DeadLetter, unknown, string>(DEAD_LETTER_QUEUE, {
    connection: options.connection,
    prefix: options.prefix,
  });
}
