import { inboundQueue, listDeadLetters, replayDeadLetters, type InboundCallback } from '@wxcs/queue';
import { appCredentials, computeSignature } from '@wxcs/wechat';
import { describe, expect } from 'vitest';
import { TEST_APP, enqueue, inboundCallback, textMessage, waitUntilQueueEmpty } from './testing/callbacks.js';
import { MAX_STALLED_COUNT } from './queue-worker.js';
import { workerTest } from './testing/worker-test.js';

const test = workerTest('worker-failures', { apps: [TEST_APP, { ...TEST_APP, name: 'safe-only', messageEncryption: 'safe' }] });

// A real database failure that only this one sender's rows hit, and that a
// retry cannot fix until the trigger is dropped (serialization_failure is
// transient by SQLSTATE class, so it is retried, never dead-lettered at once).
const FAILING_SENDER = 'o-transient-failure';
// A refusal no retry changes (program_limit_exceeded, as for an index entry
// over btree's limit): the worker stores what PostgreSQL cannot hold in
// another form, so a row it still refuses needs a trigger to make.
const REFUSED_SENDER = 'o-refused-row';
const CREATE_FAILING_TRIGGER = [
  `CREATE FUNCTION wxcs_test_fail() RETURNS trigger AS $$ BEGIN
     IF NEW.from_username = '${FAILING_SENDER}' THEN
       RAISE EXCEPTION 'simulated transient failure' USING ERRCODE = '40001';
     END IF;
     IF NEW.from_username = '${REFUSED_SENDER}' THEN
       RAISE EXCEPTION 'simulated refusal' USING ERRCODE = '54000';
     END IF;
     RETURN NEW;
   END $$ LANGUAGE plpgsql`,
  `CREATE TRIGGER wxcs_test_fail BEFORE INSERT ON customer_message FOR EACH ROW EXECUTE FUNCTION wxcs_test_fail()`,
];

test.beforeAll(async ({ database }) => {
  for (const statement of CREATE_FAILING_TRIGGER) await database.prisma.$executeRawUnsafe(statement);
});

/**
 * A safe-mode callback whose Encrypt was altered after encryption but is still correctly signed.
 * In CBC, flipping a bit of the second-to-last block flips the same bit of the last plaintext
 * block: the high bit of the pad length turns 1..32 into 129..160, a bad pad every time (flipping
 * the last block itself garbles it and leaves a valid-looking pad about once in 256 runs).
 */
function tamperedCiphertext(): InboundCallback {
  const callback = inboundCallback({ message: textMessage(9_001) });
  const envelope = JSON.parse(callback.body) as { ToUserName: string; Encrypt: string };
  const bytes = Buffer.from(envelope.Encrypt, 'base64');
  const padLengthMask = bytes.length - 17;
  bytes[padLengthMask] = (bytes[padLengthMask] ?? 0) ^ 0x80;
  const encrypt = bytes.toString('base64');
  const { timestamp = '', nonce = '' } = callback.query;
  return {
    ...callback,
    body: JSON.stringify({ ...envelope, Encrypt: encrypt }),
    query: { ...callback.query, msg_signature: computeSignature([TEST_APP.token, timestamp, nonce, encrypt]) },
  };
}

describe('failures', () => {
  test('dead-letters poison messages at once, with their reason, and stores the good ones around them', async ({ inbound, deadLetters, database }) => {
    const foreign = { ...appCredentials(TEST_APP), appId: 'wx0000000000foreign' };
    const good = [textMessage(9_100), textMessage(9_101), textMessage(9_102)].map((message) => inboundCallback({ message }));
    const badSignature = inboundCallback({ message: textMessage(9_002) });
    const poison: Record<string, InboundCallback> = {
      bad_padding: tamperedCiphertext(),
      bad_msg_signature: { ...badSignature, query: { ...badSignature.query, msg_signature: '0'.repeat(40) } },
      appid_mismatch: inboundCallback({ message: textMessage(9_003), signWith: foreign }),
      unknown_format: { ...inboundCallback({ message: textMessage(9_004), mode: 'plaintext' }), body: 'not a document' },
      unknown_app: inboundCallback({ message: textMessage(9_005), app: 'no-such-app' }),
      encryption_required: inboundCallback({ message: textMessage(9_007), mode: 'plaintext', app: 'safe-only' }),
      db_rejected_row: inboundCallback({ message: { ...textMessage(9_006), FromUserName: REFUSED_SENDER } }),
    };
    await enqueue(inbound, [...good.slice(0, 2), ...Object.values(poison), ...good.slice(2)]);
    await inbound.add(inboundQueue.jobName, { not: 'a callback' } as unknown as InboundCallback, { ...inboundQueue.jobOptions({ attempts: 5 }), jobId: 'malformed-job' });
    await waitUntilQueueEmpty(inbound);

    const letters = await listDeadLetters(deadLetters);
    expect(letters.map(({ letter }) => letter.code).sort()).toEqual([...Object.keys(poison), 'invalid_job_payload'].sort());
    for (const { letter } of letters) {
      expect(letter).toMatchObject({ kind: 'permanent', attemptsMade: 1 });
      expect(letter.reason.length).toBeGreaterThan(5);
      if (letter.code !== 'invalid_job_payload') {
        expect(letter).toMatchObject({ origin: inboundQueue.name, payload: poison[letter.code] });
        expect(letter.sourceJobId).toBe(poison[letter.code]?.callbackId);
      }
    }
    expect(letters.find(({ letter }) => letter.code === 'invalid_job_payload')?.letter).toMatchObject({ payload: { not: 'a callback' }, sourceJobId: 'malformed-job' });
    expect(letters.find(({ letter }) => letter.code === 'db_rejected_row')?.letter.reason).toMatch(/SQLSTATE 54000/);
    // No retries: every poison job was started once and completed on that attempt.
    for (const callback of Object.values(poison)) {
      const job = await inbound.getJob(callback.callbackId);
      expect([job?.attemptsStarted, job?.attemptsMade]).toEqual([1, 1]);
      expect(job?.returnvalue).toMatchObject({ outcome: 'dead-lettered' });
    }
    expect(await inbound.getFailedCount()).toBe(0);
    expect(await database.prisma.customerMessage.count()).toBe(good.length);
  });

  test('dead-letters a transient failure once its attempts are exhausted, then replay stores it once', async ({ inbound, deadLetters, database, worker }) => {
    const message = { ...textMessage(9_200), FromUserName: FAILING_SENDER };
    const deliveries = [inboundCallback({ message }), inboundCallback({ message, mode: 'compatible' })];
    await enqueue(inbound, deliveries, 3);
    await waitUntilQueueEmpty(inbound);

    const letters = (await listDeadLetters(deadLetters, { code: 'retries_exhausted' })).map(({ letter }) => letter);
    expect(letters).toHaveLength(2);
    for (const letter of letters) {
      expect(letter).toMatchObject({ kind: 'exhausted', attemptsMade: 3, errorName: expect.any(String) as string });
      expect(letter.reason).toMatch(/40001|simulated transient failure/);
      expect(letter.firstAttemptAt).not.toBeNull();
      expect(Date.parse(letter.failedAt)).toBeGreaterThan(Date.parse(letter.firstAttemptAt ?? ''));
    }
    expect(await worker.metric('wxcs_worker_jobs_retried_total', { reason: 'transient' })).toBeGreaterThanOrEqual(4);
    expect(await database.prisma.customerMessage.count({ where: { fromUsername: FAILING_SENDER } })).toBe(0);

    await database.prisma.$executeRawUnsafe('DROP TRIGGER wxcs_test_fail ON customer_message');
    const replayed = await replayDeadLetters(deadLetters, [inbound], { attempts: 3 }, { code: 'retries_exhausted' });
    expect(replayed).toHaveLength(2);
    await waitUntilQueueEmpty(inbound);
    expect(await database.prisma.customerMessage.count({ where: { fromUsername: FAILING_SENDER } })).toBe(1);
    expect(await listDeadLetters(deadLetters, { code: 'retries_exhausted' })).toEqual([]);
  });

  test('dead-letters a job that has stalled the maximum number of times instead of running it again', async ({ queues, inbound, deadLetters, database, redis }) => {
    const [tooOften, onceLess] = [textMessage(9_300), textMessage(9_301)];
    const stalledTooOften = inboundCallback({ message: tooOften });
    const stalledOnceLess = inboundCallback({ message: onceLess });
    // BullMQ's stalled checker counts stalls in the job hash's `stc`; set it
    // while the jobs are still delayed, as if their workers had died that often.
    for (const [callback, stalls] of [[stalledTooOften, MAX_STALLED_COUNT], [stalledOnceLess, MAX_STALLED_COUNT - 1]] as const) {
      await inbound.add(inboundQueue.jobName, callback, { ...inboundQueue.jobOptions({ attempts: 5 }), jobId: callback.callbackId, delay: 300 });
      await redis.hset(`${queues.prefix}:${inbound.name}:${callback.callbackId}`, 'stc', String(stalls));
    }
    await waitUntilQueueEmpty(inbound);

    const [letter, ...others] = (await listDeadLetters(deadLetters, { code: 'stalled_repeatedly' })).map((entry) => entry.letter);
    expect(others).toEqual([]);
    expect(letter).toMatchObject({ kind: 'exhausted', sourceJobId: stalledTooOften.callbackId, payload: stalledTooOften });
    expect(letter?.reason).toContain(`stalled ${MAX_STALLED_COUNT} times`);
    expect((await inbound.getJob(stalledTooOften.callbackId))?.returnvalue).toMatchObject({ outcome: 'dead-lettered' });
    expect(await inbound.getFailedCount()).toBe(0);
    const msgIds = [tooOften.MsgId, onceLess.MsgId] as string[];
    const stored = await database.prisma.customerMessage.findMany({ where: { msgId: { in: msgIds } }, select: { msgId: true } });
    expect(stored).toEqual([{ msgId: onceLess.MsgId }]);
  });
});
