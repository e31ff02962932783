// Dead-letter replay and purge at scale: `npm run bench:dead-letters`.
// In one run against the same Redis: (a) the straightforward way, one letter
// at a time, oldest first (add its callback, remove the letter), and (b)
// replayDeadLetters / purgeDeadLetters. Same letters, fresh queue prefixes.
// Env: BENCH_LETTERS (20000), REDIS_URL.
import {
  createProducerRedis,
  deadLetterQueue,
  inboundQueue,
  openQueue,
  purgeDeadLetters,
  replayDeadLetters,
  type DeadLetter,
  type DeadLetterQueue,
  type InboundCallback,
  type InboundQueue,
} from '@wxcs/queue';
import { deleteQueuePrefix, uniqueQueuePrefix } from '@wxcs/queue/testing';

const LETTERS = Number(process.env.BENCH_LETTERS ?? 20_000);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = createProducerRedis({ kind: 'single', url: REDIS_URL });
const prefixes: string[] = [];

/** A dead letter of realistic size: an encrypted callback's body is ~1 kB. */
function letter(n: number): DeadLetter {
  const at = new Date(1_764_000_000_000 + n).toISOString();
  return {
    v: 2,
    origin: inboundQueue.name,
    payload: {
      v: 1,
      callbackId: `cb-${n}`,
      app: 'shop',
      receivedAt: at,
      body: JSON.stringify({ ToUserName: 'gh_bench', Encrypt: 'A'.repeat(1_000) }),
      contentType: 'application/json',
      query: { signature: 's'.repeat(40), timestamp: '1764000000', nonce: String(n), encrypt_type: 'aes', msg_signature: 'm'.repeat(40) },
    },
    reason: 'AES padding is invalid',
    code: 'bad_padding',
    kind: 'permanent',
    errorName: 'DecryptError',
    attemptsMade: 1,
    sourceJobId: `job-${n}`,
    firstAttemptAt: at,
    failedAt: at,
  };
}

async function filledQueues(): Promise<{ deadLetters: DeadLetterQueue; inbound: InboundQueue }> {
  const prefix = uniqueQueuePrefix('bench-dead-letters');
  prefixes.push(prefix);
  const deadLetters = openQueue(deadLetterQueue, { connection: redis, prefix });
  for (let start = 0; start < LETTERS; start += 1_000) {
    const chunk = Array.from({ length: Math.min(1_000, LETTERS - start) }, (_unused, i) => letter(start + i));
    await deadLetters.addBulk(chunk.map((data) => ({ name: deadLetterQueue.jobName, data, opts: { jobId: deadLetterQueue.jobId(data) } })));
  }
  return { deadLetters, inbound: openQueue(inboundQueue, { connection: redis, prefix }) };
}

async function oneByOne(deadLetters: DeadLetterQueue, inbound: InboundQueue | undefined): Promise<void> {
  for (const job of await deadLetters.getWaiting(0, -1)) {
    if (job.id === undefined) continue;
    const callback = job.data.payload as InboundCallback;
    if (inbound) await inbound.add(inboundQueue.jobName, callback, { ...inboundQueue.jobOptions({ attempts: 5 }), jobId: `${callback.callbackId}-replay` });
    await deadLetters.remove(job.id);
  }
}

async function timed(label: string, run: (queues: { deadLetters: DeadLetterQueue; inbound: InboundQueue }) => Promise<unknown>): Promise<number> {
  const queues = await filledQueues();
  const started = performance.now();
  await run(queues);
  const seconds = (performance.now() - started) / 1_000;
  const [left, replayed] = await Promise.all([queues.deadLetters.getWaitingCount(), queues.inbound.getWaitingCount()]);
  if (left !== 0) throw new Error(`${label}: ${left} dead letters left`);
  console.error(`${label}: ${seconds.toFixed(2)} s (${replayed} callbacks back on the inbound queue)`);
  await Promise.all([queues.deadLetters.close(), queues.inbound.close()]);
  return seconds;
}

async function main(): Promise<void> {
  await redis.connect();
  const naiveReplay = await timed('a) replay one by one, oldest first', (q) => oneByOne(q.deadLetters, q.inbound));
  const replay = await timed('b) replayDeadLetters', (q) => replayDeadLetters(q.deadLetters, [q.inbound], { attempts: 5 }));
  const naivePurge = await timed('a) purge one by one, oldest first', (q) => oneByOne(q.deadLetters, undefined));
  const purge = await timed('b) purgeDeadLetters', (q) => purgeDeadLetters(q.deadLetters));
  console.log(
    [
      `${LETTERS} dead letters (~1.5 kB each), Redis ${REDIS_URL.replace(/\/\/[^@]*@/, '//')}`,
      '',
      '| | one by one, oldest first | ours | speed-up |',
      '|---|---:|---:|---:|',
      `| replay all | ${naiveReplay.toFixed(2)} s | ${replay.toFixed(2)} s | ${(naiveReplay / replay).toFixed(1)}× |`,
      `| purge all | ${naivePurge.toFixed(2)} s | ${purge.toFixed(2)} s | ${(naivePurge / purge).toFixed(1)}× |`,
    ].join('\n'),
  );
}

try {
  await main();
} finally {
  for (const prefix of prefixes) await deleteQueuePrefix(REDIS_URL, prefix);
  redis.disconnect();
}
