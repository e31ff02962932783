import { Queue, type BulkJobOptions } from 'bullmq';
import type { RedisConnection } from './connections.js';
import type { QueueRecord } from './catalog.js';
import type { DeadLetter } from './dead-letter-schema.js';
import type { CallbackBatch, InboundCallback, MediaArchiveJob, OutboundReply } from './payloads.js';

export type CatalogQueue<Payload = unknown> = Queue<Payload, unknown, string>;
export type IntakeQueue = CatalogQueue<CallbackBatch>;
export type InboundQueue = CatalogQueue<InboundCallback>;
export type DeadLetterQueue = CatalogQueue<DeadLetter>;
export type OutboundQueue = CatalogQueue<OutboundReply>;
export type MediaQueue = CatalogQueue<MediaArchiveJob>;

/**
 * Any queue of the catalog, as replay writes to it: its name picks the
 * record, whose schema has already checked the payload.
 */
export interface OriginQueue {
  readonly name: string;
  addBulk(jobs: { name: string; data: unknown; opts?: BulkJobOptions }[]): Promise<unknown>;
}

export interface QueueHandleOptions {
  readonly connection: RedisConnection;
  readonly prefix: string;
}

/** A producer handle on one queue of the catalog; it shares `connection` and never consumes. */
export function openQueue<Payload>(record: QueueRecord<Payload>, options: QueueHandleOptions): CatalogQueue<Payload> {
  return new Queue<Payload, unknown, string>(record.name, {
    connection: options.connection,
    prefix: options.prefix,
  });
}
