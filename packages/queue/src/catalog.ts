import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { z } from 'zod';
import { storedDeadLetterSchema, type DeadLetter } from './dead-letter-schema.js';
import { FAILED_JOB_RETENTION, JITTERED_BACKOFF, type JobPolicy } from './job-options.js';
import {
  callbackBatchSchema,
  inboundCallbackSchema,
  mediaArchiveJobSchema,
  outboundReplySchema,
  type CallbackBatch,
  type InboundCallback,
  type MediaArchiveJob,
  type OutboundReply,
} from './payloads.js';

/**
 * One queue, described once. Producers, the worker, the dashboard, the
 * dead-letter tools and the tests all read it from here.
 */
export interface QueueRecord<Payload> {
  /** The BullMQ queue name (part of every Redis key of the queue). */
  readonly name: string;
  /** The BullMQ job name every job of the queue carries, so the dashboard shows what a job is. */
  readonly jobName: string;
  /** What a job's data must be; the worker and replay validate against it. */
  readonly payload: z.ZodType<Payload>;
  /** The job id a payload is added under: deterministic, so adding it twice makes one job. */
  jobId(payload: Payload): string;
  /** Options every producer adds a job with. */
  jobOptions(policy: JobPolicy): JobsOptions;
  readonly board: {
    readonly description: string;
    /** No "empty", "clean", "obliterate" or per-job actions: jobs leave only through their consumer. */
    readonly readOnly: boolean;
    /** bull-board's retry of failed and completed jobs: only where a consumer runs what is retried. */
    readonly retries: boolean;
  };
}

/**
 * What the receiver acknowledged, a batch per job, waiting for the worker to
 * unpack it into the inbound queue.
 */
export const intakeQueue = {
  name: 'wechat-intake',
  jobName: 'callbacks',
  payload: callbackBatchSchema,
  // Derived from every callback in it: a batch re-added whole (a late Redis answer, then the
  // spool's drain) makes one job, and a batch holding any other callback is a job of its own.
  jobId: (batch: CallbackBatch) => `batch-${createHash('sha256').update(batch.callbacks.map((callback) => callback.callbackId).join('\n')).digest('hex')}`,
  jobOptions: (policy: JobPolicy): JobsOptions => ({
    attempts: policy.attempts,
    backoff: { type: JITTERED_BACKOFF },
    // Unpacked, the callbacks live on in their inbound jobs; kept, a batch would hold them twice.
    removeOnComplete: true,
    removeOnFail: FAILED_JOB_RETENTION,
  }),
  board: {
    description: 'Callbacks the receiver acknowledged, a batch per job, waiting for the worker to unpack them into wechat-inbound. Read-only here.',
    readOnly: true,
    retries: false,
  },
} satisfies QueueRecord<CallbackBatch>;

/** Every raw callback the receiver accepted, one job each, waiting for the worker to store it. */
export const inboundQueue = {
  name: 'wechat-inbound',
  jobName: 'callback',
  payload: inboundCallbackSchema,
  jobId: (callback: InboundCallback) => callback.callbackId,
  jobOptions: (policy: JobPolicy): JobsOptions => ({
    attempts: policy.attempts,
    backoff: { type: JITTERED_BACKOFF },
    removeOnFail: FAILED_JOB_RETENTION,
  }),
  board: {
    description: 'Raw callbacks accepted by the receiver, waiting for the worker. Read-only here.',
    // An acknowledged callback may leave only through the worker or an explicit dead-letter
    // purge, never through an "empty", "clean" or "obliterate" click.
    readOnly: true,
    retries: false,
  },
} satisfies QueueRecord<InboundCallback>;

/** Every reply the support API accepted, waiting for the worker to send it through WeChat's API. */
export const outboundQueue = {
  name: 'wechat-outbound',
  jobName: 'reply',
  payload: outboundReplySchema,
  // One job per reply, however often the support API or a replay adds it.
  jobId: (reply: OutboundReply) => `reply-${reply.replyId}`,
  jobOptions: (policy: JobPolicy): JobsOptions => ({
    attempts: policy.attempts,
    backoff: { type: JITTERED_BACKOFF },
    removeOnFail: FAILED_JOB_RETENTION,
  }),
  board: {
    description: 'Replies waiting to be sent through WeChat\'s customer-service API. Read-only here: a reply leaves only by being sent or failing.',
    readOnly: true,
    retries: false,
  },
} satisfies QueueRecord<OutboundReply>;

/** Every image a user sent, waiting for the worker to fetch it from WeChat and archive it. */
export const mediaQueue = {
  name: 'wechat-media',
  jobName: 'archive',
  payload: mediaArchiveJobSchema,
  // One job per image, however often the worker, the backfill or a replay adds it.
  jobId: (job: MediaArchiveJob) => `media-${job.app}-${job.mediaId}`,
  jobOptions: (policy: JobPolicy): JobsOptions => ({
    attempts: policy.attempts,
    backoff: { type: JITTERED_BACKOFF },
    removeOnFail: FAILED_JOB_RETENTION,
  }),
  board: {
    description: 'Images users sent, waiting to be fetched from WeChat (which keeps them 3 days) and archived. Read-only here.',
    readOnly: true,
    retries: false,
  },
} satisfies QueueRecord<MediaArchiveJob>;

/**
 * Jobs of any queue that a worker gave up on, with the reason. Nothing
 * consumes it: letters wait there until an operator replays them to their
 * origin queue or purges them.
 */
export const deadLetterQueue = {
  name: 'wechat-dead-letter',
  jobName: 'dead-letter',
  payload: storedDeadLetterSchema,
  // A worker that dies after dead-lettering and reruns the job makes no second letter.
  jobId: (letter: DeadLetter) => `dl-${letter.sourceJobId}`,
  // Kept until an operator acts on them.
  jobOptions: (): JobsOptions => ({ attempts: 1, removeOnComplete: false, removeOnFail: false }),
  board: {
    description:
      'Jobs a worker could not process, with the reason in the job data. Nothing consumes this queue: ' +
      'use the "Dead letters" link to replay them to the queue they came from, or remove them here.',
    readOnly: false,
    // Dead letters wait, they never fail: replay is the dashboard's own dead-letter page.
    retries: false,
  },
} satisfies QueueRecord<DeadLetter>;

/** Every queue, in the order the dashboard lists them. */
export const catalog: readonly QueueRecord<unknown>[] = [intakeQueue, inboundQueue, outboundQueue, mediaQueue, deadLetterQueue];

export function findQueueRecord(name: string): QueueRecord<unknown> | undefined {
  return catalog.find((record) => record.name === name);
}
