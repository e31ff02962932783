import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { addDeadLetter, inboundQueue, listDeadLetters, type DeadLetter } from '@wxcs/queue';
import { TEST_REDIS_URL } from '@wxcs/queue/testing';
import { describe, expect } from 'vitest';
import { inboundCallback, textMessage } from '../testing/callbacks.js';
import { integrationTest } from '../testing/worker-test.js';

const run = promisify(execFile);
const WORKER_DIR = fileURLToPath(new URL('../..', import.meta.url));
const test = integrationTest('worker-dlq-cli');
const letters = new Map<number, DeadLetter>();

function letter(n: number, code: string, app = 'shop'): DeadLetter {
  const callback = { ...inboundCallback({ message: textMessage(n) }), app };
  const now = new Date().toISOString();
  return {
    v: 2,
    origin: inboundQueue.name,
    payload: callback,
    reason: `failed ${n}`,
    code,
    kind: code === 'retries_exhausted' ? 'exhausted' : 'permanent',
    errorName: 'Error',
    attemptsMade: 1,
    sourceJobId: `job-${n}`,
    firstAttemptAt: now,
    failedAt: now,
  };
}

/** The CLI exactly as `npm run dlq -- ...` runs it (tsx, sources), against this test's prefix. */
async function dlq(prefix: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', '--conditions=source', 'src/cli/dlq.ts', ...args], {
      cwd: WORKER_DIR,
      env: { PATH: process.env.PATH, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, QUEUE_JOB_ATTEMPTS: '4', LOG_LEVEL: 'silent' },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

// Three letters, read by every test in turn: listed, one replayed, the rest purged.
test.beforeAll(async ({ deadLetters }) => {
  for (const [n, code, app] of [[1, 'bad_padding', 'shop'], [2, 'retries_exhausted', 'shop'], [3, 'retries_exhausted', 'clinic']] as const) {
    letters.set(n, letter(n, code, app));
    await addDeadLetter(deadLetters, letters.get(n) as DeadLetter);
  }
});

describe('npm run dlq', () => {
  test('lists dead letters, filtered, as text or JSON', async ({ queues }) => {
    const text = await dlq(queues.prefix, 'list');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('3 dead letter(s)');
    expect(text.stdout).toMatch(/dl-job-1\twechat-inbound\tshop\tbad_padding\tpermanent\tattempts=1/);
    const json = await dlq(queues.prefix, 'list', '--code', 'retries_exhausted', '--app', 'clinic', '--json');
    expect((JSON.parse(json.stdout) as { id: string }[]).map((entry) => entry.id)).toEqual(['dl-job-3']);
  });

  test('replays by filter onto the queue each letter came from, with the configured attempts', async ({ queues, inbound, deadLetters }) => {
    const replay = await dlq(queues.prefix, 'replay', '--code', 'retries_exhausted', '--app', 'shop');
    expect(replay).toMatchObject({ code: 0, stdout: 'replayed 1: dl-job-2\n' });
    const [job] = await inbound.getWaiting();
    expect(job?.data).toEqual(letters.get(2)?.payload);
    expect(job?.opts.attempts).toBe(4);
    expect((await listDeadLetters(deadLetters)).map((entry) => entry.id)).toEqual(['dl-job-1', 'dl-job-3']);
  });

  test('refuses an unqualified purge, then purges by id', async ({ queues, deadLetters }) => {
    const refused = await dlq(queues.prefix, 'purge');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/needs ids, --app, --code or --all/);
    expect(await listDeadLetters(deadLetters)).toHaveLength(2);
    expect(await dlq(queues.prefix, 'purge', 'dl-job-1', 'dl-job-3')).toMatchObject({ code: 0, stdout: 'purged 2: dl-job-1 dl-job-3\n' });
    expect(await listDeadLetters(deadLetters)).toEqual([]);
  });
});
