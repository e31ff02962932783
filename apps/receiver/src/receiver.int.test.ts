import { intakeQueue } from '@wxcs/queue';
import {
  SAMPLE_APP,
  SAMPLE_NAMES,
  sampleCredentials,
  simulateCallback,
  simulateUrlVerification,
} from '@wxcs/wechat/testing';
import { describe, expect } from 'vitest';
import { captureLogger } from './testing/callbacks.js';
import type { QueueProbe, TestReceiver } from './testing/receiver-harness.js';
import { receiverTest } from './testing/receiver-test.js';
import { getPath, postCallback } from './testing/requests.js';

const log = captureLogger('debug');
const it = receiverTest({ label: 'receiver', logger: log.logger, env: { RECEIVER_BODY_LIMIT_BYTES: '4096', QUEUE_JOB_ATTEMPTS: '7' } });
const credentials = sampleCredentials();

type SimulatedCallback = ReturnType<typeof simulateCallback>;

const modes = ['plaintext', 'compatible', 'safe'] as const;
const formats = ['json', 'xml'] as const;

interface Served {
  readonly receiver: TestReceiver;
  readonly queue: QueueProbe;
}

async function expectRejected({ receiver, queue }: Served, callback: Parameters<typeof postCallback>[2], status: number, path = '/wechat/default') {
  const before = await queue.count();
  const response = await postCallback(receiver.url, path, callback);
  expect(response.status).toBe(status);
  expect(response.text).not.toBe('success');
  expect(await queue.count()).toBe(before);
  return response;
}

describe('POST /wechat/:app with a valid signature', () => {
  for (const mode of modes) {
    for (const format of formats) {
      it(`queues ${mode} ${format} callbacks with the raw body intact`, async ({ receiver, queue }) => {
        for (const message of SAMPLE_NAMES) {
          const sim = simulateCallback({ app: credentials, message, format, mode, nonce: `${mode}-${format}-${message}` });
          const response = await postCallback(receiver.url, '/wechat/default', sim);
          expect(response).toMatchObject({ status: 200, text: 'success' });
          const job = (await queue.batches()).find((j) => j.data.callbacks.some((c) => c.query.nonce === sim.query.nonce));
          expect(job?.name).toBe(intakeQueue.jobName);
          expect(job?.id).toBe(intakeQueue.jobId(job!.data));
          expect(job?.opts.attempts).toBe(7);
          const callback = job?.data.callbacks.find((c) => c.query.nonce === sim.query.nonce);
          expect(callback).toMatchObject({ v: 1, app: 'default', body: sim.body, contentType: sim.contentType, query: sim.query });
        }
      });
    }
  }

  it('routes /wechat to the app named default', async ({ receiver, queue }) => {
    const sim = simulateCallback({ app: credentials, message: 'text', format: 'json', mode: 'safe', nonce: 'bare-path' });
    expect(await postCallback(receiver.url, '/wechat', sim)).toMatchObject({ status: 200, text: 'success' });
    expect((await queue.callbacks()).find((c) => c.query.nonce === 'bare-path')?.app).toBe('default');
  });

  it('takes JSON labelled text/xml, a missing Content-Type, and non-ASCII text byte for byte', async ({ receiver, queue }) => {
    const message = { ToUserName: 'gh_x', FromUserName: 'o_x', CreateTime: '1', MsgType: 'text', Content: '你好 👋 "quoted" \\ ]]>', MsgId: '9223372036854775807' };
    const sim = simulateCallback({ app: credentials, message, format: 'json', mode: 'plaintext', nonce: 'mislabelled', contentType: 'text/xml' });
    expect((await postCallback(receiver.url, '/wechat/default', sim)).status).toBe(200);
    const unlabelled = simulateCallback({ app: credentials, message, format: 'xml', mode: 'safe', nonce: 'unlabelled' });
    // fetch labels string bodies text/plain; raw bytes go without a Content-Type.
    const bytes = Buffer.from(unlabelled.body);
    expect((await postCallback(receiver.url, '/wechat/default', { ...unlabelled, body: bytes, contentType: null })).status).toBe(200);
    const stored = await queue.callbacks();
    expect(stored.find((c) => c.query.nonce === 'mislabelled')).toMatchObject({ body: sim.body, contentType: 'text/xml' });
    expect(stored.find((c) => c.query.nonce === 'unlabelled')).toMatchObject({ body: unlabelled.body, contentType: null });
  });
});

describe('POST /wechat/:app rejections leave the queue unchanged', () => {
  const valid = (mode: (typeof modes)[number], format: (typeof formats)[number] = 'json'): SimulatedCallback =>
    simulateCallback({ app: credentials, message: 'text', format, mode });

  it('forged signature in plaintext mode: 401', async ({ receiver, queue }) => {
    const sim = valid('plaintext');
    await expectRejected({ receiver, queue }, { ...sim, query: { ...sim.query, signature: '0'.repeat(40) } }, 401);
    const otherToken = simulateCallback({ app: { ...credentials, token: 'someoneElse1' }, message: 'text', format: 'xml', mode: 'plaintext' });
    await expectRejected({ receiver, queue }, otherToken, 401);
  });

  it('forged msg_signature or tampered Encrypt in encrypted modes: 401, even with a valid plain signature', async ({ receiver, queue }) => {
    for (const mode of ['safe', 'compatible'] as const) {
      const sim = valid(mode, 'xml');
      await expectRejected({ receiver, queue }, { ...sim, query: { ...sim.query, msg_signature: 'f'.repeat(40) } }, 401);
      // The ciphertext is random: flip its first character to one it is not, or the "tamper" is sometimes a no-op.
      const tampered = sim.body.replace(/(<Encrypt><!\[CDATA\[)(.)/, (_, open: string, first: string) => open + (first === 'A' ? 'B' : 'A'));
      expect(tampered).not.toBe(sim.body);
      await expectRejected({ receiver, queue }, { ...sim, body: tampered }, 401);
    }
  });

  it('missing signature parameters: 401', async ({ receiver, queue }) => {
    for (const [mode, name] of [
      ['plaintext', 'signature'],
      ['plaintext', 'timestamp'],
      ['plaintext', 'nonce'],
      ['safe', 'msg_signature'],
      ['safe', 'timestamp'],
    ] as const) {
      const sim = valid(mode);
      const query = { ...sim.query };
      delete query[name];
      expect((await expectRejected({ receiver, queue }, { ...sim, query }, 401)).text).toBe(`missing ${name}`);
    }
    await expectRejected({ receiver, queue }, { ...valid('safe'), query: {} }, 401);
  });

  it('unknown app: 404; unknown encrypt_type: 400', async ({ receiver, queue }) => {
    await expectRejected({ receiver, queue }, valid('safe'), 404, '/wechat/nope');
    const sim = valid('safe');
    await expectRejected({ receiver, queue }, { ...sim, query: { ...sim.query, encrypt_type: 'des' } }, 400);
  });

  it('oversize body: 413', async ({ receiver, queue }) => {
    const sim = valid('plaintext');
    await expectRejected({ receiver, queue }, { ...sim, body: `{"Content":"${'x'.repeat(5000)}"}` }, 413);
  });

  it('malformed bodies: 400 with a short reason', async ({ receiver, queue }) => {
    const sim = valid('plaintext');
    expect((await expectRejected({ receiver, queue }, { ...sim, body: '' }, 400)).text).toBe('empty body');
    expect((await expectRejected({ receiver, queue }, { ...sim, body: 'hello' }, 400)).text).toBe('malformed body (unknown_format)');
    await expectRejected({ receiver, queue }, { ...sim, body: '{"ToUserName":"gh_x",' }, 400);
    await expectRejected({ receiver, queue }, { ...sim, body: '<xml><ToUserName>gh</xml>' }, 400);
    await expectRejected({ receiver, queue }, { ...sim, body: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><A>&e;</A></xml>' }, 400);
    const notUtf8 = Buffer.concat([Buffer.from('{"Content":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    expect((await expectRejected({ receiver, queue }, { ...sim, body: notUtf8 }, 400)).text).toBe('body is not valid UTF-8');
    const safe = valid('safe');
    expect((await expectRejected({ receiver, queue }, { ...safe, body: '{"ToUserName":"gh_x"}' }, 400)).text).toBe('malformed body (missing_encrypt)');
  });

  it('content types that can never be a callback: 415', async ({ receiver, queue }) => {
    const sim = valid('plaintext');
    await expectRejected({ receiver, queue }, { ...sim, contentType: 'multipart/form-data; boundary=x' }, 415);
    await expectRejected({ receiver, queue }, { ...sim, contentType: 'application/x-www-form-urlencoded' }, 415);
  });
});

describe('GET /wechat/:app (URL verification)', () => {
  it('echoes echostr unchanged as plain text for a valid signature', async ({ receiver }) => {
    const { query } = simulateUrlVerification({ token: SAMPLE_APP.token, echostr: '4375120948345356249' });
    const response = await getPath(receiver.url, '/wechat/default', query);
    expect(response).toMatchObject({ status: 200, text: '4375120948345356249' });
    expect(response.contentType).toMatch(/^text\/plain/);
    expect((await getPath(receiver.url, '/wechat', query)).text).toBe('4375120948345356249');
  });

  it('401 for a bad or missing signature, 400 without echostr', async ({ receiver }) => {
    const { query } = simulateUrlVerification({ token: SAMPLE_APP.token });
    expect((await getPath(receiver.url, '/wechat/default', { ...query, signature: 'a'.repeat(40) })).status).toBe(401);
    expect((await getPath(receiver.url, '/wechat/default', { echostr: 'x' })).status).toBe(401);
    const withoutEcho: Record<string, string> = { ...query };
    delete withoutEcho.echostr;
    expect((await getPath(receiver.url, '/wechat/default', withoutEcho)).status).toBe(400);
  });
});

describe('operations endpoints and logs', () => {
  it('/healthz and /readyz answer 200 with Redis up', async ({ receiver }) => {
    expect((await getPath(receiver.opsUrl, '/healthz')).status).toBe(200);
    const ready = await getPath(receiver.opsUrl, '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toMatchObject({ status: 'ready', checks: { intake: true } });
  });

  it('/metrics has requests by outcome, ack latency, batch sizes and spool depth', async ({ receiver }) => {
    const metrics = (await getPath(receiver.opsUrl, '/metrics')).text;
    expect(metrics).toMatch(/wxcs_receiver_requests_total\{[^}]*outcome="queued"[^}]*\} [1-9]\d*/);
    expect(metrics).toMatch(/wxcs_receiver_requests_total\{[^}]*outcome="unauthorized"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/wxcs_receiver_requests_total\{[^}]*outcome="too_large"[^}]*\} 1/);
    expect(metrics).toMatch(/wxcs_receiver_ack_duration_seconds_count\{[^}]*outcome="queued"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/wxcs_receiver_enqueue_batch_size_sum\{[^}]*outcome="queued"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/wxcs_receiver_spool_depth\{[^}]*\} 0/);
  });

  it('logs each request (at debug once answered) with an id but no signature, openid or message content', async ({ receiver }) => {
    const sim = simulateCallback({ app: credentials, message: 'text', format: 'json', mode: 'compatible', nonce: 'log-check' });
    const response = await fetch(`${receiver.url}/wechat/default?${new URLSearchParams(sim.query).toString()}`, {
      method: 'POST',
      body: sim.body,
      headers: { 'x-request-id': 'req-log-check' },
    });
    expect(await response.text()).toBe('success');
    const text = log.text();
    expect(text).toContain('"reqId":"req-log-check"');
    expect(text).toMatch(/"outcome":"queued"/);
    for (const secret of [sim.query.signature, sim.query.msg_signature, sim.query.openid, 'hello', SAMPLE_APP.token]) {
      expect(text).not.toContain(secret);
    }
  });
});
