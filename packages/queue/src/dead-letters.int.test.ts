import { describe, expect } from 'vitest';
import { deadLetterQueue, inboundQueue } from './catalog.js';
import type { DeadLetter } from './dead-letter-schema.js';
import { addDeadLetter, listDeadLetters, pageDeadLetters, purgeDeadLetters, replayDeadLetters } from './dead-letters.js';
import type { InboundCallback } from './payloads.js';
import type { DeadLetterQueue, InboundQueue } from './queues.js';
import { queueSpaceTest, type QueueSpace } from './testing/queue-space.js';

const test = queueSpaceTest('dead-letters')
  .extend('inbound', { scope: 'file' }, ({ space }) => space.open(inboundQueue))
  .extend('deadLetters', { scope: 'file' }, ({ space }) => space.open(deadLetterQueue));

const now = '2026-11-28T10:00:00.000Z';

function callback(id: string, app: string): InboundCallback {
  return { v: 1, callbackId: `cb-${id}`, app, receivedAt: now, body: `{"id":"${id}"}`, contentType: 'application/json', query: { nonce: id } };
}

function letter(id: string, app: string, code: string): DeadLetter {
  return {
    v: 2,
    origin: inboundQueue.name,
    payload: callback(id, app),
    reason: `failed ${id}`,
    code,
    kind: 'permanent',
    errorName: 'PayloadError',
    attemptsMade: 1,
    sourceJobId: `job-${id}`,
    firstAttemptAt: now,
    failedAt: now,
  };
}

/** The callback id of a dead letter's payload. */
function callbackIdOf(stored: DeadLetter): string {
  return (stored.payload as InboundCallback).callbackId;
}

/** `count` dead letters in `space`, every other one coded `odd`, and that space's inbound queue. */
async function filled(space: QueueSpace, count: number): Promise<{ letters: DeadLetterQueue; target: InboundQueue }> {
  const letters = space.open(deadLetterQueue);
  const data = Array.from({ length: count }, (_unused, n) => letter(String(n).padStart(4, '0'), 'shop', n % 2 === 1 ? 'odd' : 'even'));
  await letters.addBulk(data.map((entry) => ({ name: deadLetterQueue.jobName, data: entry, opts: { jobId: deadLetterQueue.jobId(entry) } })));
  return { letters, target: space.open(inboundQueue) };
}

describe('dead letters', () => {
  test('adds idempotently per source job and lists oldest first', async ({ deadLetters }) => {
    await addDeadLetter(deadLetters, letter('a', 'shop', 'bad_padding'));
    await addDeadLetter(deadLetters, letter('a', 'shop', 'bad_padding'));
    await addDeadLetter(deadLetters, letter('b', 'clinic', 'retries_exhausted'));
    await addDeadLetter(deadLetters, letter('c', 'shop', 'retries_exhausted'));
    const all = await listDeadLetters(deadLetters);
    expect(all.map((d) => callbackIdOf(d.letter))).toEqual(['cb-a', 'cb-b', 'cb-c']);
    expect(await listDeadLetters(deadLetters, { app: 'shop', code: 'retries_exhausted' })).toHaveLength(1);
  });

  test('pages the oldest few with the total, filtered or not, in pages of any size', async ({ deadLetters }) => {
    const ids = (page: { letters: { letter: DeadLetter }[] }) => page.letters.map((d) => callbackIdOf(d.letter));
    expect(await pageDeadLetters(deadLetters, {}, 2).then((page) => [ids(page), page.total])).toEqual([['cb-a', 'cb-b'], 3]);
    expect(await pageDeadLetters(deadLetters, {}, 10).then((page) => [ids(page), page.total])).toEqual([['cb-a', 'cb-b', 'cb-c'], 3]);
    const exhausted = await pageDeadLetters(deadLetters, { code: 'retries_exhausted' }, 1);
    expect([ids(exhausted), exhausted.total]).toEqual([['cb-b'], 2]);
    const shop = await pageDeadLetters(deadLetters, { app: 'shop' }, 5);
    expect([ids(shop), shop.total]).toEqual([['cb-a', 'cb-c'], 2]);
    const byId = await pageDeadLetters(deadLetters, { ids: ['dl-job-c', 'dl-job-a', 'dl-missing'] }, 1);
    expect([ids(byId), byId.total]).toEqual([['cb-c'], 2]);
  });

  test('replays by filter: the payload goes back to its origin queue unchanged, the letter goes away', async ({ inbound, deadLetters }) => {
    const replayed = await replayDeadLetters(deadLetters, [inbound], { attempts: 3 }, { app: 'shop', code: 'bad_padding' });
    expect(replayed).toEqual(['dl-job-a']);
    const waiting = await inbound.getWaiting();
    expect(waiting).toHaveLength(1);
    expect(waiting[0]?.data).toEqual(callback('a', 'shop'));
    expect(waiting[0]?.name).toBe(inboundQueue.jobName);
    expect(waiting[0]?.id).toMatch(/^cb-a-replay-/);
    expect(waiting[0]?.opts.attempts).toBe(3);
    expect((await listDeadLetters(deadLetters)).map((d) => d.id)).toEqual(['dl-job-b', 'dl-job-c']);
  });

  test('replays one by id and purges the rest', async ({ inbound, deadLetters }) => {
    expect(await replayDeadLetters(deadLetters, [inbound], { attempts: 3 }, { ids: ['dl-job-c', 'dl-missing'] })).toEqual(['dl-job-c']);
    expect(await purgeDeadLetters(deadLetters)).toEqual(['dl-job-b']);
    expect(await listDeadLetters(deadLetters)).toEqual([]);
    expect(await inbound.getWaitingCount()).toBe(2);
  });
});

describe('dead letters of the first shape, from before they named their origin', () => {
  /** A letter exactly as the inbound-only dead letters stored it (`v: 1`, the callback in `callback`). */
  function legacy(id: string, app: string) {
    const { v: _v, origin: _origin, payload: _payload, ...failure } = letter(id, app, 'bad_padding');
    return { v: 1, callback: callback(id, app), ...failure };
  }

  /** Dead letters of the first shape in a space of their own, beside that space's inbound queue. */
  async function seeded(space: QueueSpace): Promise<{ old: DeadLetterQueue; target: InboundQueue }> {
    const old = space.open(deadLetterQueue);
    for (const [id, app] of [['old-1', 'shop'], ['old-2', 'clinic']] as const) {
      await old.add(deadLetterQueue.jobName, legacy(id, app) as never, { jobId: `dl-job-${id}` });
    }
    return { old, target: space.open(inboundQueue) };
  }

  test('are listed and filtered as letters from the inbound queue', async ({ freshSpace }) => {
    const { old } = await seeded(freshSpace);
    const listed = await listDeadLetters(old);
    expect(listed.map((d) => [d.id, d.letter.origin, callbackIdOf(d.letter)])).toEqual([
      ['dl-job-old-1', inboundQueue.name, 'cb-old-1'],
      ['dl-job-old-2', inboundQueue.name, 'cb-old-2'],
    ]);
    expect(listed[0]?.letter).toMatchObject({ v: 2, payload: callback('old-1', 'shop'), code: 'bad_padding', sourceJobId: 'job-old-1' });
    expect((await pageDeadLetters(old, { app: 'clinic' }, 10)).letters.map((d) => d.id)).toEqual(['dl-job-old-2']);
  });

  test('replay to the inbound queue', async ({ freshSpace }) => {
    const { old, target } = await seeded(freshSpace);
    expect(await replayDeadLetters(old, [target], { attempts: 3 }, { app: 'shop' })).toEqual(['dl-job-old-1']);
    const [job] = await target.getWaiting();
    expect(job?.data).toEqual(callback('old-1', 'shop'));
    expect(job?.id).toMatch(/^cb-old-1-replay-/);
  });
});

describe('what replay leaves where it is', () => {
  test('keeps a letter whose origin is not given or whose payload is not what its origin takes, and replays the rest', async ({ freshSpace }) => {
    const kept = freshSpace.open(deadLetterQueue);
    const target = freshSpace.open(inboundQueue);
    await addDeadLetter(kept, { ...letter('gone', 'shop', 'x'), origin: 'a-removed-queue' });
    await addDeadLetter(kept, { ...letter('junk', 'shop', 'invalid_job_payload'), payload: { not: 'a callback' } });
    await addDeadLetter(kept, letter('fine', 'shop', 'x'));
    expect(await replayDeadLetters(kept, [target], { attempts: 3 })).toEqual(['dl-job-fine']);
    expect((await listDeadLetters(kept)).map((d) => d.id)).toEqual(['dl-job-gone', 'dl-job-junk']);
    expect(await target.getWaitingCount()).toBe(1);
    expect(await replayDeadLetters(kept, [], { attempts: 3 })).toEqual([]);
    expect(await listDeadLetters(kept)).toHaveLength(2);
  });
});

describe('dead letters beyond one page of the scan', () => {
  test('counts every match and keeps the oldest few, oldest first', async ({ freshSpace }) => {
    const { letters: many } = await filled(freshSpace, 1_100);
    const odd = await pageDeadLetters(many, { code: 'odd' }, 3);
    expect(odd.total).toBe(550);
    expect(odd.letters.map((d) => callbackIdOf(d.letter))).toEqual(['cb-0001', 'cb-0003', 'cb-0005']);
    const all = await pageDeadLetters(many, {}, 2);
    expect([all.total, all.letters.map((d) => callbackIdOf(d.letter))]).toEqual([1_100, ['cb-0000', 'cb-0001']]);
    const listed = await listDeadLetters(many, { code: 'even' });
    expect(listed).toHaveLength(550);
    expect(listed.map((d) => callbackIdOf(d.letter)).at(-1)).toBe('cb-1098');
  });
});

describe('replay and purge beyond one chunk', () => {
  test('replays every match once, oldest first, and leaves the others', async ({ freshSpace }) => {
    const { letters, target } = await filled(freshSpace, 1_100);
    const replayed = await replayDeadLetters(letters, [target], { attempts: 3 }, { code: 'odd' });
    expect(replayed).toHaveLength(550);
    const callbacks = (await target.getWaiting(0, -1)).map((job) => job.data.callbackId);
    expect(callbacks).toHaveLength(550);
    expect(callbacks.slice(0, 3)).toEqual(['cb-0001', 'cb-0003', 'cb-0005']);
    expect(callbacks.at(-1)).toBe('cb-1099');
    const left = await listDeadLetters(letters);
    expect(left).toHaveLength(550);
    expect(left.every((entry) => entry.letter.code === 'even')).toBe(true);
  });

  test('leaves alone a letter that arrives during the replay', async ({ freshSpace }) => {
    const { letters, target } = await filled(freshSpace, 600);
    const late = letter('late', 'shop', 'even');
    // The inbound queue the replay writes to, except that the first write also sees a new dead letter arrive.
    const arriving = Object.create(target) as InboundQueue;
    let arrived = false;
    arriving.addBulk = async (jobs) => {
      if (!arrived) {
        arrived = true;
        await addDeadLetter(letters, late);
      }
      return target.addBulk(jobs);
    };
    expect(await replayDeadLetters(letters, [arriving], { attempts: 3 })).toHaveLength(600);
    expect((await listDeadLetters(letters)).map((entry) => entry.letter)).toEqual([late]);
    expect(await target.getWaitingCount()).toBe(600);
  });

  test('purges by filter, and unfiltered purges unreadable entries too', async ({ freshSpace }) => {
    const { letters } = await filled(freshSpace, 1_100);
    expect(await purgeDeadLetters(letters, { code: 'even' })).toHaveLength(550);
    await letters.add(deadLetterQueue.jobName, { not: 'a dead letter' } as never, { jobId: 'dl-unreadable' });
    expect(await letters.getWaitingCount()).toBe(551);
    const purged = await purgeDeadLetters(letters);
    expect(purged).toHaveLength(551);
    expect(purged).toContain('dl-unreadable');
    expect(await letters.getWaitingCount()).toBe(0);
  });
});
