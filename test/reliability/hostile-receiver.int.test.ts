// Hostile input against the running receiver. Invariant for every request
// below: a 4xx answer (or, for a stalled upload, the connection closed by the
// server), nothing added to the queue or the spool, and the process still
// healthy and still acknowledging genuine callbacks.
import { describe, expect } from 'vitest';
import { appDirForBreak } from './support/breaks.js';
import { genuine, query, send, sha1Sorted, type Answer } from './support/hostile-requests.js';
import { HOSTILE_BODY_FAMILIES, filledBody, simulateCallback } from '@wxcs/wechat/testing';
import { queueCounts, rawRequest, readMetric, sleep, totalJobs } from '@wxcs/testkit';
import { pipelineTest, type Pipeline } from './support/pipeline.js';

// The default limit: hostile bodies are tried at the largest size the receiver reads.
const BODY_LIMIT = 256 * 1024;

const jobCount = async (pipeline: Pipeline) => totalJobs(await queueCounts(pipeline.redis.url, pipeline.prefix));

const test = pipelineTest(async (cleanup) => {
  // Break: a receiver that lets authentication failures through queues forged callbacks.
  const receiverDir = await appDirForBreak(cleanup, 'receiver', 'no-signature-check', [
    { file: 'src/routes/verify-callback.ts', find: 'throw refusal(error);', replace: "return { format: 'json', mode: 'plaintext' }; // mutant: accepted" },
  ]);
  return {
    label: 'hostile',
    workers: 0,
    receiverDir,
    receiverEnv: { RECEIVER_BODY_LIMIT_BYTES: String(BODY_LIMIT), RECEIVER_TIMESTAMP_TOLERANCE_SECONDS: '300' },
  };
})
  .extend('base', ({ pipeline }) => pipeline.receiver().url)
  // Jobs the current test added: each test checks that it added none.
  .extend('jobsAdded', async ({ pipeline }) => {
    const before = await jobCount(pipeline);
    return async () => (await jobCount(pipeline)) - before;
  });

async function expectUntouchedAndHealthy(pipeline: Pipeline, jobsAdded: () => Promise<number>): Promise<void> {
  expect(await jobsAdded(), 'queue untouched').toBe(0);
  expect(await pipeline.receiverMetric('wxcs_receiver_spool_depth'), 'spool untouched').toBe(0);
  expect(pipeline.receiver().isRunning()).toBe(true);
  expect((await fetch(`${pipeline.receiver().opsUrl}/healthz`)).status).toBe(200);
}

function expect4xx(answers: Record<string, Answer>): void {
  const statuses = Object.fromEntries(Object.entries(answers).map(([name, answer]) => [name, answer.status]));
  for (const [name, status] of Object.entries(statuses)) {
    expect(status >= 400 && status < 500, `${name} answered ${status}: ${JSON.stringify(statuses)}`).toBe(true);
  }
}

describe('hostile requests to the receiver', () => {
  test('refuses unsigned and forged callbacks', async ({ pipeline, base, jobsAdded }) => {
    const app = pipeline.credentials;
    const good = genuine(app);
    const otherApp = { ...app, token: 'someoneElsesToken1' };
    const signedByOther = genuine(otherApp);
    const tampered = good.body.replace(/"Encrypt":"(.)/, (_m, first: string) => `"Encrypt":"${first === 'A' ? 'B' : 'A'}`);
    expect4xx({
      noQuery: await send(base, { body: good.body, headers: { 'content-type': 'application/json' } }),
      onlyTimestampNonce: await send(base, { search: query({ timestamp: good.query.timestamp!, nonce: good.query.nonce! }), body: good.body }),
      randomMsgSignature: await send(base, { search: query({ ...good.query, msg_signature: 'f'.repeat(40) }), body: good.body }),
      otherAppsToken: await send(base, { search: query(signedByOther.query), body: signedByOther.body }),
      tamperedEncrypt: await send(base, { search: query(good.query), body: tampered }),
      swappedBody: await send(base, { search: query(good.query), body: genuine(app, 'image').body }),
      getWithoutSignature: await send(base, { method: 'GET', search: query({ echostr: '1', timestamp: '1', nonce: '1' }) }),
    });
    await expectUntouchedAndHealthy(pipeline, jobsAdded);
  });

  test('refuses a replay whose timestamp is outside the configured tolerance', async ({ pipeline, base, jobsAdded }) => {
    const stale = genuine(pipeline.credentials, 'text', String(Math.floor(Date.now() / 1000) - 3_600));
    expect4xx({ staleReplay: await send(base, { search: query(stale.query), body: stale.body }) });
    await expectUntouchedAndHealthy(pipeline, jobsAdded);
  });

  test('refuses a captured signature replayed with a forged plaintext body (encryption downgrade)', async ({ pipeline, base, jobsAdded }) => {
    // An observer of one genuine safe-mode URL (proxy logs, ...) drops encrypt_type and msg_signature:
    // `signature` only covers token, timestamp and nonce, never the body.
    const seen = genuine(pipeline.credentials);
    const forged = '{"ToUserName":"gh_8f2d3c4b5a6e","FromUserName":"oAttacker","CreateTime":1714112445,"MsgType":"text","Content":"forged","MsgId":1}';
    const downgrade = await send(base, {
      search: query({ signature: seen.query.signature!, timestamp: seen.query.timestamp!, nonce: seen.query.nonce! }),
      body: forged,
      headers: { 'content-type': 'application/json' },
    });
    expect4xx({ downgrade });
    await expectUntouchedAndHealthy(pipeline, jobsAdded);
  });

  test('refuses oversize bodies, query strings and headers', async ({ pipeline, base, jobsAdded }) => {
    const good = genuine(pipeline.credentials);
    const big = `{"ToUserName":"gh_x","Encrypt":"${'A'.repeat(BODY_LIMIT)}"}`;
    expect4xx({
      oversizeBody: await send(base, { search: query(good.query), body: big, headers: { 'content-type': 'application/json' } }),
      oversizeQuery: await send(base, { search: `${query(good.query)}&pad=${'x'.repeat(20_000)}`, body: good.body }),
      oversizeHeader: await send(base, { search: query(good.query), body: good.body, headers: { 'x-pad': 'y'.repeat(20_000) } }),
    });
    const chunked = await rawRequest({
      port: pipeline.receiverPort,
      chunks: [
        `POST /wechat/default?${query(good.query)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n`,
        ...Array.from({ length: BODY_LIMIT / 0x1000 + 4 }, () => `1000\r\n${'A'.repeat(0x1000)}\r\n`),
        '0\r\n\r\n',
      ],
      deadlineMs: 10_000,
    });
    expect(chunked.status === 413 || (chunked.status === 0 && chunked.closedByServer), `chunked oversize: ${chunked.response.slice(0, 80)}`).toBe(true);
    await expectUntouchedAndHealthy(pipeline, jobsAdded);
  });

  test('refuses wrong methods, wrong paths, wrong content types and non-UTF-8 bodies', async ({ pipeline, base, jobsAdded }) => {
    const good = genuine(pipeline.credentials);
    const search = query(good.query);
    const answers: Record<string, Answer> = {};
    for (const method of ['PUT', 'DELETE', 'PATCH']) answers[method] = await send(base, { method, search, body: good.body });
    // Callback URLs are matched exactly: /WECHAT is a wrong path (apps/receiver/README.md, "Request path").
    for (const path of ['/', '/WECHAT', '/wechat/unknown', '/wechat/default/extra', '/wechat/%ZZ', '/wechat/default%00', '/.env', '/wechat/..%2f..%2fetc%2fpasswd']) {
      answers[`POST ${path}`] = await send(base, { path, search, body: good.body });
    }
    answers.head = await send(base, { method: 'HEAD', search: query({ timestamp: '1', nonce: '1' }) });
    answers.multipart = await send(base, { search, body: good.body, headers: { 'content-type': 'multipart/form-data; boundary=x' } });
    answers.form = await send(base, { search, body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    answers.notUtf8 = await send(base, { search, body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) });
    answers.options = await send(base, { method: 'OPTIONS', search });
    expect4xx(answers);
    const trace = await rawRequest({ port: pipeline.receiverPort, chunks: ['TRACE /wechat/default HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'], deadlineMs: 5_000 });
    expect(trace.status >= 400 && trace.status < 500, trace.response.slice(0, 80)).toBe(true);
    await expectUntouchedAndHealthy(pipeline, jobsAdded);
  });

  test('never lets CR/LF in query parameters reach a response header', async ({ pipeline, base, jobsAdded }) => {
    const crlf = '%0D%0ASet-Cookie:%20injected=1%0D%0AX-Injected:%201';
    const good = genuine(pipeline.credentials);
    const answers: Record<string, Answer> = {
      postNonce: await send(base, { search: `${query({ ...good.query, nonce: 'x' })}`.replace('nonce=x', `nonce=${crlf}`), body: good.body }),
      postSignature: await send(base, { search: `signature=${crlf}&timestamp=1&nonce=1&encrypt_type=aes&msg_signature=${crlf}`, body: good.body }),
      getEchostr: await send(base, { method: 'GET', search: `signature=${crlf}&timestamp=1&nonce=1&echostr=${crlf}` }),
      requestId: await send(base, { search: query({ ...good.query, msg_signature: '0'.repeat(40) }), body: good.body, headers: { 'x-request-id': 'a\tSet-Cookie: b' } }),
    };
    expect(answers.requestId?.headers.get('x-request-id')).not.toContain('Set-Cookie');
    for (const [name, answer] of Object.entries(answers)) {
      expect(answer.status, name).toBeGreaterThanOrEqual(400);
      expect(answer.headers.get('x-injected'), name).toBeNull();
      expect(answer.headers.get('set-cookie'), name).toBeNull();
    }
    // Correctly signed GET whose echostr carries CR/LF (only WeChat could sign it): echoed as a text body, never as a header.
    const timestamp = '1714036504';
    const nonce = '1514711492';
    const signature = sha1Sorted([pipeline.credentials.token, timestamp, nonce]);
    const echo = await send(base, { method: 'GET', search: `signature=${signature}&timestamp=${timestamp}&nonce=${nonce}&echostr=${crlf}` });
    expect(echo.status).toBe(200);
    expect(echo.headers.get('x-injected')).toBeNull();
    expect(echo.headers.get('set-cookie')).toBeNull();
    expect(echo.headers.get('content-type')).toMatch(/^text\/plain/);
    // Raw CR/LF in the request line: the HTTP parser refuses the request.
    const raw = await rawRequest({
      port: pipeline.receiverPort,
      chunks: ['GET /wechat/default?echostr=a\r\nX-Injected: 1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
      deadlineMs: 5_000,
    });
    expect(raw.status >= 400 && raw.status < 500, raw.response.slice(0, 80)).toBe(true);
    expect(raw.response.toLowerCase()).not.toContain('x-injected');
    await expectUntouchedAndHealthy(pipeline, jobsAdded);
  });

  test('stays responsive while many slow clients hold connections open', async ({ pipeline, jobsAdded }) => {
    const good = genuine(pipeline.credentials);
    const slow = Array.from({ length: 50 }, () =>
      rawRequest({
        port: pipeline.receiverPort,
        chunks: [`POST /wechat/default?${query(good.query)} HTTP/1.1\r\nHost: x\r\nContent-Length: 400\r\n\r\n`, ...Array.from({ length: 6 }, () => '{')],
        delayMs: 1_000,
        deadlineMs: 8_000,
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const started = performance.now();
    const health = await fetch(`${pipeline.receiver().opsUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
    expect(health.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1_000);
    await Promise.all(slow);
    await expectUntouchedAndHealthy(pipeline, jobsAdded);
  });

  test('times out a slow-loris body (one byte a second) well before WeChat would give up on it', async ({ pipeline, jobsAdded }) => {
    const good = genuine(pipeline.credentials);
    const exchange = await rawRequest({
      port: pipeline.receiverPort,
      chunks: [
        `POST /wechat/default?${query(good.query)} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${good.body.length}\r\n\r\n`,
        ...good.body.split(''),
      ],
      delayMs: 1_000,
      deadlineMs: 30_000,
    });
    // Either a 408 or a closed connection, from the server's side, within 30 s.
    expect(exchange.closedByServer || exchange.status === 408, `after ${Math.round(exchange.elapsedMs)} ms: status ${exchange.status}, closed by server: ${exchange.closedByServer}`).toBe(true);
    expect(exchange.elapsedMs).toBeLessThan(30_000);
    await expectUntouchedAndHealthy(pipeline, jobsAdded);
  }, 60_000);

  test('times out slow-loris headers (one header line a second)', async ({ pipeline, jobsAdded }) => {
    const exchange = await rawRequest({
      port: pipeline.receiverPort,
      chunks: ['POST /wechat/default HTTP/1.1\r\n', ...Array.from({ length: 40 }, (_u, i) => `X-Slow-${i}: 1\r\n`)],
      delayMs: 1_000,
      deadlineMs: 30_000,
    });
    expect(exchange.closedByServer || exchange.status === 408, `after ${Math.round(exchange.elapsedMs)} ms: status ${exchange.status}`).toBe(true);
    await expectUntouchedAndHealthy(pipeline, jobsAdded);
  }, 60_000);

  test('refuses a forged signature beside a valid msg_signature: 401', async ({ pipeline, base, jobsAdded }) => {
    const good = genuine(pipeline.credentials);
    const { timestamp = '', nonce = '' } = good.query;
    const forged = { ...good.query, signature: sha1Sorted(['notTheToken', timestamp, nonce]) };
    const answer = await send(base, { search: query(forged), body: good.body, headers: { 'content-type': good.contentType } });
    expect(answer.status).toBe(401);
    await expectUntouchedAndHealthy(pipeline, jobsAdded);
  });

  test('refuses a captured callback replayed with padding beside its Encrypt (the app runs in safe mode)', async ({ pipeline, base, jobsAdded }) => {
    const captured = simulateCallback({ app: pipeline.credentials, message: 'text', format: 'xml', mode: 'safe', timestamp: String(Math.floor(Date.now() / 1000)) });
    const encrypt = /<Encrypt><!\[CDATA\[([^\]]+)\]\]>/.exec(captured.body)?.[1] ?? '';
    const padded = JSON.stringify({ Encrypt: encrypt, Pad: 'x'.repeat(200_000) });
    expect(encrypt).not.toBe('');
    expect4xx({ padded: await send(base, { search: query(captured.query), body: padded, headers: { 'content-type': 'application/json' } }) });
    await expectUntouchedAndHealthy(pipeline, jobsAdded);
  });

  // Before the envelope reader was linear, <xml> and <!-- repeated to the limit held the event loop 4.3 s.
  const PROMPT_MS = 250;

  test(`refuses every hostile body family at the body limit within ${PROMPT_MS} ms, its signature parameters genuine`, async ({ pipeline, base, jobsAdded }) => {
    const search = query(genuine(pipeline.credentials).query);
    const answers: Record<string, Answer> = {};
    const slow: string[] = [];
    for (const family of HOSTILE_BODY_FAMILIES) {
      const started = performance.now();
      answers[family.name] = await send(base, { search, body: family.build(BODY_LIMIT) });
      const elapsedMs = performance.now() - started;
      if (elapsedMs > PROMPT_MS) slow.push(`${family.name}: ${elapsedMs.toFixed(0)} ms`);
    }
    expect4xx(answers);
    expect(slow).toEqual([]);
    await expectUntouchedAndHealthy(pipeline, jobsAdded);
  });

  test('acknowledges a genuine callback within a second while three hostile bodies are in flight', async ({ pipeline, base, jobsAdded }) => {
    const search = query(genuine(pipeline.credentials).query);
    const hostile = filledBody(BODY_LIMIT, '<xml>', '<!--');
    const inFlight = [1, 2, 3].map(() => send(base, { search, body: hostile }));
    // Long enough for the three uploads to arrive (loopback, about a millisecond each) and be read first.
    await sleep(100);
    const good = genuine(pipeline.credentials);
    const started = performance.now();
    const answer = await send(base, { search: query(good.query), body: good.body, headers: { 'content-type': good.contentType } });
    const elapsedMs = performance.now() - started;
    expect(answer.text).toBe('success');
    expect(elapsedMs).toBeLessThan(1_000);
    expect4xx(Object.fromEntries((await Promise.all(inFlight)).map((hostileAnswer, i) => [`hostile ${i}`, hostileAnswer])));
    expect(await jobsAdded()).toBe(1);
  });

  test('still acknowledges a genuine callback afterwards (positive control)', async ({ pipeline, base, jobsAdded }) => {
    const good = genuine(pipeline.credentials);
    const answer = await send(base, { search: query(good.query), body: good.body, headers: { 'content-type': good.contentType } });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('success');
    expect(await jobsAdded()).toBe(1);
    expect(readMetric(await pipeline.receiver().metrics(), 'wxcs_receiver_requests_total', { outcome: 'error' })).toBe(0);
  });
});
