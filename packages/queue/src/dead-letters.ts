import type { Job } from 'bullmq';
import { inboundJobOptions, deadLetterJobOptions, type InboundJobPolicy } from './job-options.js';
import { DEAD_LETTER_JOB, INBOUND_JOB } from './names.js';
import { deadLetterSchema, type DeadLetter } from './payloads.js';
import type { DeadLetterQueue, InboundQueue } from './queues.js';

/**
 * Idempotent by source job: a worker that dies after dead-lettering and
 * reruns the job does not produce a second dead letter.
 */
export async function addDeadLetter(queue: DeadLetterQueue, letter: DeadLetter): Promise<string> {
  const job = await queue.add(DEAD_LETTER_JOB, letter, {
    ...deadLetterJobOptions,
    jobId: `dl-${letter.sourceJobId}`,
  });
  return job.id ?? `dl-${letter.sourceJobId}`;
}

export interface DeadLetterFilter {
  /** Only these dead-letter job ids. */
  readonly ids?: readonly string[];
  readonly app?: string;
  readonly code?: string;
}

export interface StoredDeadLetter {
  readonly id: string;
  readonly letter: DeadLetter;
}

const PAGE = 500;

/** Every dead letter matching the filter, oldest first. */
export async function listDeadLetters(queue: DeadLetterQueue, filter: DeadLetterFilter = {}): Promise<StoredDeadLetter[]> {
  const jobs = filter.ids ? await jobsById(queue, filter.ids) : await allWaiting(queue);
  const found: StoredDeadLetter[] = [];
  for (const job of jobs) {
    const parsed = deadLetterSchema.safeParse(job.data);
    if (!parsed.success || job.id === undefined) continue;
    const letter = parsed.data;
    if (filter.app !== undefined && letter.callback.app !== filter.app) continue;
    if (filter.code !== undefined && letter.code !== filter.code) continue;
    found.push({ id: job.id, letter });
  }
  return found;
}

async function jobsById(queue: DeadLetterQueue, ids: readonly string[]): Promise<Job<DeadLetter>[]> {
  const jobs = await Promise.all(ids.map((id) => queue.getJob(id)));
  return jobs.filter((job): job is Job<DeadLetter> => job !== undefined);
}

async function allWaiting(queue: DeadLetterQueue): Promise<Job<DeadLetter>[]> {
  const jobs: Job<DeadLetter>[] = [];
  for (let start = 0; ; start += PAGE) {
    // getWaiting pages from the newest; collect all, then order by age.
    const page = await queue.getWaiting(start, start + PAGE - 1);
    jobs.push(...page.filter((job): job is Job<DeadLetter> => job !== undefined));
    if (page.length < PAGE) break;
  }
  return jobs.sort((a, b) => a.timestamp - b.timestamp);
}

/**
 * Puts the original callbacks back on the inbound queue, then removes the
 * dead letters. The order matters: a crash in between leaves a dead letter
 * that was already replayed, which the worker's deduplication absorbs, never
 * a callback that is in neither queue.
 */
export async function replayDeadLetters(
  deadLetters: DeadLetterQueue,
  inbound: InboundQueue,
  policy: InboundJobPolicy,
  filter: DeadLetterFilter = {},
): Promise<string[]> {
  const letters = await listDeadLetters(deadLetters, filter);
  const replayed: string[] = [];
  for (const { id, letter } of letters) {
    await inbound.add(INBOUND_JOB, letter.callback, {
      ...inboundJobOptions(policy),
      jobId: `${letter.callback.callbackId}-replay-${Date.now().toString(36)}`,
    });
    await deadLetters.remove(id);
    replayed.push(id);
  }
  return replayed;
}

export async function purgeDeadLetters(deadLetters: DeadLetterQueue, filter: DeadLetterFilter = {}): Promise<string[]> {
  const letters = await listDeadLetters(deadLetters, filter);
  for (const { id } of letters) await deadLetters.remove(id);
  return letters.map(({ id }) => id);
}
