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
  if (isUnfiltered(filter)) {
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

function isUnfiltered(filter: DeadLetterFilter): boolean {
  return filter.ids === undefined && filter.app === undefined && filter.code === undefined;
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
 * Puts the original callbacks back on the inbound queue, `ACT_CHUNK` at a
 * time, then removes their dead letters. The order matters: a crash in
 * between leaves dead letters that were already replayed, which the
 * worker's deduplication absorbs, never a callback that is in neither
 * queue. Only the letters there when the replay starts are replayed: a
 * callback that fails again meanwhile is a new dead letter, not a loop.
 */
export async function replayDeadLetters(
  deadLetters: DeadLetterQueue,
  inbound: InboundQueue,
  policy: InboundJobPolicy,
  filter: DeadLetterFilter = {},
): Promise<string[]> {
  const replayed: string[] = [];
  const replayedAt = Date.now().toString(36);
  await forEachMatchingChunk(deadLetters, filter, async (letters) => {
    await inbound.addBulk(
      letters.map(({ letter }) => ({
        name: INBOUND_JOB,
        data: letter.callback,
        opts: { ...inboundJobOptions(policy), jobId: `${letter.callback.callbackId}-replay-${replayedAt}` },
      })),
    );
    replayed.push(...letters.map(({ id }) => id));
  });
  await removeNewestFirst(deadLetters, replayed);
  return replayed;
}

/** Removes the matching dead letters; unfiltered, unreadable entries go too. */
export async function purgeDeadLetters(deadLetters: DeadLetterQueue, filter: DeadLetterFilter = {}): Promise<string[]> {
  const purged = isUnfiltered(filter) ? await waitingIds(deadLetters) : await matchingIds(deadLetters, filter);
  await removeNewestFirst(deadLetters, purged);
  return purged;
}

async function matchingIds(queue: DeadLetterQueue, filter: DeadLetterFilter): Promise<string[]> {
  const ids: string[] = [];
  await forEachMatchingChunk(queue, filter, (letters) => {
    ids.push(...letters.map(({ id }) => id));
    return Promise.resolve();
  });
  return ids;
}

/** Replay and purge read and act on this many letters per round trip. */
const ACT_CHUNK = 500;

/** Every waiting dead letter's id, oldest first. */
function waitingIds(queue: DeadLetterQueue): Promise<string[]> {
  return queue.getRanges(['wait'], 0, -1, true);
}

/**
 * The dead letters matching `filter`, oldest first, `ACT_CHUNK` at a time,
 * from a snapshot of the ids waiting when it starts: memory stays bounded
 * however many there are, and letters added meanwhile are left alone.
 */
async function forEachMatchingChunk(
  queue: DeadLetterQueue,
  filter: DeadLetterFilter,
  act: (letters: StoredDeadLetter[]) => Promise<void>,
): Promise<void> {
  const ids = filter.ids ?? (await waitingIds(queue));
  for (let start = 0; start < ids.length; start += ACT_CHUNK) {
    const letters = matching(await jobsById(queue, ids.slice(start, start + ACT_CHUNK)), filter);
    if (letters.length > 0) await act(letters);
  }
}

/**
 * Removes `ids` (oldest first) newest first. BullMQ finds a waiting job by
 * scanning its list from the newest end, so the oldest first would cost a
 * scan of the whole list per letter (quadratic: ~15 s for 50 000), the
 * newest first only the letters that arrived after it.
 */
async function removeNewestFirst(queue: DeadLetterQueue, ids: readonly string[]): Promise<void> {
  for (let end = ids.length; end > 0; end -= ACT_CHUNK) {
    const chunk = ids.slice(Math.max(0, end - ACT_CHUNK), end).reverse();
    // Sent in this order on one connection, so Redis runs them in (about) this order too.
    await Promise.all(chunk.map((id) => queue.remove(id)));
  }
}
