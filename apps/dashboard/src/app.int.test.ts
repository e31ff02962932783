import { addDeadLetter, catalog, deadLetterQueue, inboundQueue, listDeadLetters, type InboundCallback } from '@wxcs/queue';
import { createLogger } from '@wxcs/logger';
import { describe, expect } from 'vitest';
import { createApp } from './app.js';
import { TEST_CREDENTIALS, TEST_JOB_ATTEMPTS, dashboardTest, deadLetterOf, plainCallback } from './testing/dashboard.js';
import { basicAuth, listen, send, type RawRequest } from './testing/http.js';

const auth = basicAuth(TEST_CREDENTIALS.user, TEST_CREDENTIALS.password);

const test = dashboardTest('dashboard-app')
  /** An authenticated request as the dashboard's own page would send it. */
  .extend('asOperator', ({ dashboard }) => (req: RawRequest) =>
    send(dashboard.port, {
      ...req,
      headers: { authorization: auth, origin: dashboard.origin, 'sec-fetch-site': 'same-origin', ...req.headers },
    }),
  )
  .extend('deadLetter', ({ dashboard }) => (id: string, app = 'default') =>
    addDeadLetter(dashboard.deadLetters, deadLetterOf(plainCallback(id, app))),
  );

test.beforeEach(async ({ dashboard }) => {
  await dashboard.inbound.drain();
  await dashboard.deadLetters.drain();
});

describe('health probes', () => {
  test('answer without credentials and reveal nothing', async ({ dashboard }) => {
    const live = await send(dashboard.port, { path: '/healthz' });
    expect(live.status).toBe(200);
    expect(JSON.parse(live.body)).toEqual({ status: 'ok' });
    const ready = await send(dashboard.port, { path: '/readyz' });
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: 'ready', checks: { redis: true } });
  });

  test('report not ready while shutting down', async ({ dashboard }) => {
    // The app itself, as startDashboard builds it, with its shutdown begun.
    const app = createApp({
      queues: dashboard.queues,
      credentials: TEST_CREDENTIALS,
      jobAttempts: TEST_JOB_ATTEMPTS,
      environment: 'test',
      logger: createLogger({ name: 'dashboard', level: 'silent' }),
      isShuttingDown: () => true,
      readinessChecks: [{ name: 'redis', check: async () => true }],
    });
    const shuttingDown = await listen(app);
    try {
      expect((await send(shuttingDown.port, { path: '/readyz' })).status).toBe(503);
      expect((await send(dashboard.port, { path: '/readyz' })).status).toBe(200);
    } finally {
      await shuttingDown.close();
    }
  });
});

describe('authentication', () => {
  const guarded: RawRequest[] = [
    { path: '/' },
    { path: `/queue/${deadLetterQueue.name}` },
    { path: '/api/queues' },
    { path: `/api/queues/${deadLetterQueue.name}/dl-anything` },
    { path: '/static/images/logo.svg' },
    { path: '/dead-letters' },
    { path: '/dead-letters/page.js' },
    { method: 'POST', path: '/dead-letters/dl-x/replay' },
    { method: 'POST', path: '/dead-letters/replay-all' },
    { method: 'PUT', path: `/api/queues/${deadLetterQueue.name}/empty` },
    { path: '/no-such-page' },
  ];

  test.for(guarded)('refuses $method $path without credentials', async (req, { dashboard }) => {
    const res = await send(dashboard.port, req);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm="WeChat CS dashboard"/);
  });

  test.for(guarded)('refuses $method $path with a wrong password', async (req, { dashboard }) => {
    const res = await send(dashboard.port, { ...req, headers: { authorization: basicAuth(TEST_CREDENTIALS.user, 'guess') } });
    expect(res.status).toBe(401);
  });

  test('serves the board, its API and its static files with the right credentials', async ({ asOperator }) => {
    const page = await asOperator({ path: '/' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('WeChat CS queues');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect((await asOperator({ path: '/static/images/logo.svg' })).status).toBe(200);
    const api = await asOperator({ path: '/api/queues' });
    expect(api.status).toBe(200);
    const names = (JSON.parse(api.body) as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names).toEqual(catalog.map((record) => record.name));
  });

  test('links bull-board to the dead-letter page', async ({ asOperator }) => {
    const page = await asOperator({ path: '/' });
    expect(page.body).toContain('"url":"/dead-letters"');
  });
});

describe('dead letters on the board', () => {
  test('shows the reason and code in the job data, and the code in the job name', async ({ asOperator, deadLetter }) => {
    const id = await deadLetter('cb-board');
    const res = await asOperator({ path: `/api/queues/${deadLetterQueue.name}/${id}` });
    expect(res.status).toBe(200);
    const { job } = JSON.parse(res.body) as { job: { name: string; data: { reason: string; code: string } } };
    expect(job.data).toMatchObject({ reason: 'Database rejected the row', code: 'database_rejected' });
    const list = await asOperator({ path: `/api/queues?activeQueue=${deadLetterQueue.name}&status=waiting` });
    const queues = (JSON.parse(list.body) as { queues: { name: string; jobs: { name: string }[] }[] }).queues;
    expect(queues.find((q) => q.name === deadLetterQueue.name)?.jobs.map((j) => j.name)).toEqual(['dead-letter · database_rejected']);
  });

  test("removes a dead letter through bull-board's own button", async ({ dashboard, asOperator, deadLetter }) => {
    const id = await deadLetter('cb-board-remove');
    const res = await asOperator({ method: 'PUT', path: `/api/queues/${deadLetterQueue.name}/${id}/clean` });
    expect(res.status).toBe(204);
    expect(await dashboard.deadLetters.getJob(id)).toBeUndefined();
  });
});

describe('replay and remove', () => {
  test('replays one dead letter into the queue it came from with the configured attempts', async ({ dashboard, asOperator, deadLetter }) => {
    const letter = deadLetterOf(plainCallback('cb-replay'));
    const id = await addDeadLetter(dashboard.deadLetters, letter);
    await deadLetter('cb-stays');
    const res = await asOperator({ method: 'POST', path: `/dead-letters/${id}/replay` });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dead-letters?done=replayed&count=1');
    const waiting = await dashboard.inbound.getWaiting();
    expect(waiting.map((job) => job.data)).toEqual([letter.payload]);
    expect(waiting[0]?.opts.attempts).toBe(TEST_JOB_ATTEMPTS);
    expect((await listDeadLetters(dashboard.deadLetters)).map((d) => (d.letter.payload as InboundCallback).callbackId)).toEqual(['cb-stays']);
  });

  test('shows and replays a dead letter stored before letters named their origin', async ({ dashboard, asOperator }) => {
    const { v: _v, origin: _origin, payload, ...failure } = deadLetterOf(plainCallback('cb-v1', 'shop'));
    await dashboard.deadLetters.add(deadLetterQueue.jobName, { v: 1, callback: payload, ...failure } as never, { jobId: 'dl-cb-v1' });
    const page = await asOperator({ path: '/dead-letters' });
    expect(page.body).toContain(`<td>${inboundQueue.name}</td>\n<td>shop</td>`);
    const res = await asOperator({ method: 'POST', path: '/dead-letters/dl-cb-v1/replay' });
    expect(res.status).toBe(303);
    expect((await dashboard.inbound.getWaiting()).map((job) => job.data)).toEqual([payload]);
    expect(await listDeadLetters(dashboard.deadLetters)).toEqual([]);
  });

  test('answers JSON to scripts that ask for it, and 404 for a dead letter that is gone', async ({ dashboard, asOperator, deadLetter }) => {
    const id = await deadLetter('cb-json');
    const json = { accept: 'application/json' };
    const first = await asOperator({ method: 'POST', path: `/dead-letters/${id}/replay`, headers: json });
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ replayed: [id] });
    const again = await asOperator({ method: 'POST', path: `/dead-letters/${id}/replay`, headers: json });
    expect(again.status).toBe(404);
    const bulk = await asOperator({ method: 'POST', path: '/dead-letters/replay-all', headers: json });
    expect(bulk.status).toBe(200);
    expect(JSON.parse(bulk.body)).toEqual({ replayed: [] });
    expect(await dashboard.inbound.getWaitingCount()).toBe(1);
  });

  test('removes one dead letter without replaying it', async ({ dashboard, asOperator, deadLetter }) => {
    const id = await deadLetter('cb-remove');
    const res = await asOperator({ method: 'POST', path: `/dead-letters/${id}/remove` });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dead-letters?done=removed&count=1');
    expect(await listDeadLetters(dashboard.deadLetters)).toEqual([]);
    expect(await dashboard.inbound.getWaitingCount()).toBe(0);
  });

  test('replays all dead letters of one app from the filtered list', async ({ dashboard, asOperator, deadLetter }) => {
    await deadLetter('cb-shop-1', 'shop');
    await deadLetter('cb-clinic', 'clinic');
    await deadLetter('cb-shop-2', 'shop');
    const res = await asOperator({
      method: 'POST',
      path: '/dead-letters/replay-all',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'app=shop&code=',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dead-letters?done=replayed&count=2&app=shop');
    const replayed = (await dashboard.inbound.getWaiting()).map((job) => job.data.callbackId).sort();
    expect(replayed).toEqual(['cb-shop-1', 'cb-shop-2']);
    expect((await listDeadLetters(dashboard.deadLetters)).map((d) => (d.letter.payload as InboundCallback).app)).toEqual(['clinic']);
  });
});

describe('cross-site protection', () => {
  const evil = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };

  test('refuses a cross-site form post to replay or remove, and changes nothing', async ({ dashboard, asOperator, deadLetter }) => {
    const id = await deadLetter('cb-csrf');
    for (const path of [`/dead-letters/${id}/replay`, `/dead-letters/${id}/remove`, '/dead-letters/replay-all']) {
      const res = await asOperator({ method: 'POST', path, headers: { ...evil, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
      expect(res.status, path).toBe(403);
    }
    expect((await listDeadLetters(dashboard.deadLetters)).map((d) => d.id)).toEqual([id]);
    expect(await dashboard.inbound.getWaitingCount()).toBe(0);
  });

  test("refuses cross-site calls to bull-board's destructive API", async ({ dashboard, asOperator, deadLetter }) => {
    const id = await deadLetter('cb-csrf-board');
    expect((await asOperator({ method: 'PUT', path: `/api/queues/${deadLetterQueue.name}/${id}/clean`, headers: evil })).status).toBe(403);
    // A browser without fetch metadata: the foreign Origin alone is enough.
    const oldBrowser = { authorization: auth, origin: 'https://evil.example' };
    expect((await send(dashboard.port, { method: 'PUT', path: `/api/queues/${deadLetterQueue.name}/empty`, headers: oldBrowser })).status).toBe(403);
    expect(await dashboard.deadLetters.getJob(id)).toBeDefined();
  });

  test('checks credentials first: a cross-site request without them gets the challenge', async ({ dashboard }) => {
    const res = await send(dashboard.port, { method: 'POST', path: '/dead-letters/x/replay', headers: evil });
    expect(res.status).toBe(401);
  });
});

describe('dead-letter page', () => {
  test('lists reason, code, origin queue, app and failure time, with replay and remove buttons', async ({ asOperator, deadLetter }) => {
    const id = await deadLetter('cb-page', 'shop');
    const res = await asOperator({ path: '/dead-letters' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('Database rejected the row');
    expect(res.body).toContain('<code>database_rejected</code>');
    expect(res.body).toContain(`<td>${inboundQueue.name}</td>\n<td>shop</td>`);
    expect(res.body).toContain(`action="/dead-letters/${id}/replay"`);
    expect(res.body).toContain(`action="/dead-letters/${id}/remove"`);
    expect(res.body).toContain(`href="/queue/${deadLetterQueue.name}/${id}"`);
  });

  test('escapes payload and reason text and forbids inline script', async ({ dashboard, asOperator }) => {
    const attack = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    await addDeadLetter(
      dashboard.deadLetters,
      deadLetterOf(plainCallback('cb-xss', 'default', `{"Content":"${attack}"}`), { reason: attack, code: '"><b>x' }),
    );
    const res = await asOperator({ path: '/dead-letters' });
    expect(res.body).not.toContain('<img src=x');
    expect(res.body).not.toContain('<script>alert');
    expect(res.body).not.toContain('"><b>x');
    expect(res.body).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  test('shows only fixed notices, never text from the query string', async ({ asOperator }) => {
    const ok = await asOperator({ path: '/dead-letters?done=replayed&count=3' });
    expect(ok.body).toContain('Replayed 3 dead letter(s) into the queues they came from.');
    const forged = await asOperator({ path: '/dead-letters?done=%3Cb%3Epwned&count=1' });
    expect(forged.body).not.toContain('pwned');
    expect(forged.body).not.toContain('class="notice"');
  });

  test('filters by app and code', async ({ asOperator, deadLetter }) => {
    await deadLetter('cb-filter-shop', 'shop');
    await deadLetter('cb-filter-clinic', 'clinic');
    const res = await asOperator({ path: '/dead-letters?app=clinic' });
    expect(res.body).toContain('cb-filter-clinic');
    expect(res.body).not.toContain('cb-filter-shop');
    expect(res.body).toContain('Replay all 1');
  });
});
