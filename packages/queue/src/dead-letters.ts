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
  if (filter.ids) return matching(await jobsById(queue, filter.ids), filter);
  const found: StoredDeadLetter[] = [];
  await forEachPage(queue, (letters) => {
    found.push(...matching(letters, filter));
  });
  return found;
}

export interface DeadLetterPage {
  /** The oldest `limit` dead letters matching the filter, oldest first. */
  readonly letters: StoredDeadLetter[];
  /** How many match in all. Unfiltered, that is the queue's length, unreadable entries included. */
  readonly total: number;
}

/**
 * What a screen shows: the oldest few and how many there are. Unfiltered it
 * reads only those few, so an incident that dead-letters every message does
 * not make the page load all of them; a filter needs one pass to count, but
 * keeps only `limit` in memory.
 */
export async function pageDeadLetters(queue: DeadLetterQueue, filter: DeadLetterFilter, limit: number): Promise<DeadLetterPage> {
  if (filter.ids === undefined && filter.app === undefined && filter.code === undefined) {
    const [total, oldest] = await Promise.all([queue.getWaitingCount(), queue.getWaiting(0, limit - 1)]);
    return { letters: matching(oldest, filter), total };
  }
  if (filter.ids) {
    const all = await listDeadLetters(queue, filter);
    return { letters: all.slice(0, limit), total: all.length };
  }
  const letters: StoredDeadLetter[] = [];
  let total = 0;
  await forEachPage(queue, (page) => {
    const found = matching(page, filter);
    total += found.length;
    letters.push(...found.slice(0, limit - letters.length));
  });
  return { letters, total };
}

/** The readable dead letters among `jobs` that match the app and code of `filter`. */
function matching(jobs: readonly (Job<DeadLetter> | undefined)[], filter: DeadLetterFilter): StoredDeadLetter[] {
  const found: StoredDeadLetter[] = [];
  for (const job of jobs) {
    const parsed = deadLetterSchema.safeParse(job?.data);
    if (!parsed.success || job?.id === undefined) continue;
    const letter = parsed.data;
    if (filter.app !== undefined && letter.callback.app !== filter.app) continue;
    if (filter.code !== undefined && letter.code !== filter.code) continue;
    found.push({ id: job.id, letter });
  }
  return found;
}

async function jobsById(queue: DeadLetterQueue, ids: readonly string[]): Promise<(Job<DeadLetter> | undefined)[]> {
  return Promise.all(ids.map((id) => queue.getJob(id)));
}

/** The waiting dead letters a page at a time, oldest first (`getWaiting` counts from the oldest). */
async function forEachPage(queue: DeadLetterQueue, visit: (jobs: (Job<DeadLetter> | undefined)[]) => void): Promise<void> {
  for (let start = 0; ; start += PAGE) {
    const page = await queue.getWaiting(start, start + PAGE - 1);
    visit(page);
    if (page.length < PAGE) return;
  }
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
