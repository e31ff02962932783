import type { Job } from 'bullmq';
import { deadLetterQueue, findQueueRecord } from './catalog.js';
import type { DeadLetter } from './dead-letter-schema.js';
import type { JobPolicy } from './job-options.js';
import type { DeadLetterQueue, OriginQueue } from './queues.js';

/**
 * Idempotent by source job: a worker that dies after dead-lettering and
 * reruns the job does not produce a second dead letter.
 */
export async function addDeadLetter(queue: DeadLetterQueue, letter: DeadLetter): Promise<string> {
  const jobId = deadLetterQueue.jobId(letter);
  const job = await queue.add(deadLetterQueue.jobName, letter, { ...deadLetterQueue.jobOptions(), jobId });
  return job.id ?? jobId;
}

/**
 * The mini program a payload belongs to, for the dead-letter filters: every
 * payload that belongs to one names it in `app`.
 */
export function payloadApp(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null || !('app' in payload)) return undefined;
  return typeof payload.app === 'string' ? payload.app : undefined;
}

export interface DeadLetterFilter {
  /** Only these dead-letter job ids. */
  readonly ids?: readonly string[];
  /** The mini program the payload names (`payloadApp`). */
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
    const parsed = deadLetterQueue.payload.safeParse(job?.data);
    if (!parsed.success || job?.id === undefined) continue;
    const letter = parsed.data;
    if (filter.app !== undefined && payloadApp(letter.payload) !== filter.app) continue;
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
 * Puts each letter's payload back on the queue it came from, `ACT_CHUNK` at
 * a time, then removes those letters. The order matters: a crash in between
 * leaves dead letters that were already replayed, which the consumers'
 * deduplication absorbs, never a payload that is in no queue. Only the
 * letters there when the replay starts are replayed: a job that fails again
 * meanwhile is a new dead letter, not a loop. A letter whose origin is not
 * among `origins`, or whose payload does not match its origin's schema, stays
 * where it is.
 *
 * The replayed job's id is the payload's own job id with `-replay-<time>`:
 * one replay adds each payload once, and BullMQ ignores a second add of it.
 */
export async function replayDeadLetters(
  deadLetters: DeadLetterQueue,
  origins: readonly OriginQueue[],
  policy: JobPolicy,
  filter: DeadLetterFilter = {},
): Promise<string[]> {
  const replayed: string[] = [];
  const replayedAt = Date.now().toString(36);
  await forEachMatchingChunk(deadLetters, filter, async (letters) => {
    const added = new Set<string>();
    for (const [origin, returning] of groupByOrigin(letters, origins)) {
      const record = findQueueRecord(origin.name);
      if (record === undefined) continue;
      const jobs = returning.flatMap(({ id, letter }) => {
        const payload = record.payload.safeParse(letter.payload);
        if (!payload.success) return [];
        const jobId = `${record.jobId(payload.data)}-replay-${replayedAt}`;
        return [{ id, job: { name: record.jobName, data: payload.data, opts: { ...record.jobOptions(policy), jobId } } }];
      });
      if (jobs.length === 0) continue;
      await origin.addBulk(jobs.map(({ job }) => job));
      for (const { id } of jobs) added.add(id);
    }
    // Oldest first, as removeNewestFirst expects.
    replayed.push(...letters.filter(({ id }) => added.has(id)).map(({ id }) => id));
  });
  await removeNewestFirst(deadLetters, replayed);
  return replayed;
}

/** The letters by the queue they return to, each group oldest first; letters of an unknown origin are left out. */
function groupByOrigin(letters: readonly StoredDeadLetter[], origins: readonly OriginQueue[]): Map<OriginQueue, StoredDeadLetter[]> {
  const groups = new Map<OriginQueue, StoredDeadLetter[]>();
  for (const stored of letters) {
    const origin = origins.find((queue) => queue.name === stored.letter.origin);
    if (origin === undefined) continue;
    const group = groups.get(origin);
    if (group) group.push(stored);
    else groups.set(origin, [stored]);
  }
  return groups;
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
