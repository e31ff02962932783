// The URLs WeChat is configured with go from node:http straight to the callback
// handler; every other spelling Express matches goes through Express to the same
// handler. These tests hold the two paths to the same answers and the same queue.
import { request } from 'node:http';
import { TEST_REDIS_URL, deleteQueuePrefix, uniqueQueuePrefix } from '@wxcs/queue/testing';
import { sampleCredentials, simulateCallback } from '@wxcs/wechat/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@wxcs/testkit';
import { openQueueProbe, startTestReceiver, type QueueProbe, type TestReceiver } from './testing/receiver-harness.js';
import { TEST_APPS, postCallback } from './testing/requests.js';

const prefix = uniqueQueuePrefix('receiver-routing');
const credentials = sampleCredentials();
let receiver: TestReceiver;
let probe: QueueProbe;
let spoolDir: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  spoolDir = await makeTempDir('routing');
  receiver = await startTestReceiver({ prefix, apps: TEST_APPS, spoolDir: spoolDir.path, env: { RECEIVER_BODY_LIMIT_BYTES: '4096' } });
  probe = await openQueueProbe(prefix);
});

afterAll(async () => {
  await receiver.stop();
  await probe.close();
  await deleteQueuePrefix(TEST_REDIS_URL, prefix);
  await spoolDir.remove();
});

const valid = (nonce: string) => simulateCallback({ app: credentials, message: 'text', format: 'json', mode: 'safe', nonce });

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly contentType: string | null;
}

/** The whole answer, as a client sees it, with the headers that could differ between the two paths. */
async function send(path: string, init: { body: string; query: Record<string, string>; headers?: Record<string, string> }): Promise<Answer> {
  const response = await fetch(`${receiver.url}${path}?${new URLSearchParams(init.query).toString()}`, {
    method: 'POST',
    body: init.body,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
  return { status: response.status, text: await response.text(), contentType: response.headers.get('content-type') };
}

describe('callback URLs: the direct path and the Express path agree', () => {
  it('queues a callback sent to another spelling of /wechat/default exactly as the canonical one', async () => {
    const sent = new Map<string, ReturnType<typeof valid>>();
    for (const [path, nonce] of [
      ['/wechat/default', 'canonical'],
      ['/WeChat/default', 'mixed-case'],
      ['/wechat/default/', 'trailing-slash'],
      ['/wechat/%64efault', 'percent-encoded'],
      ['/wechat/', 'bare-trailing-slash'],
    ] as const) {
      const sim = valid(nonce);
      sent.set(nonce, sim);
      expect(await send(path, sim), path).toEqual({ status: 200, text: 'success', contentType: 'text/plain; charset=utf-8' });
    }
    const stored = await probe.callbacks();
    for (const [nonce, sim] of sent) {
      expect(stored.find((c) => c.query.nonce === nonce), nonce).toMatchObject({ app: 'default', body: sim.body, query: sim.query });
    }
  });

  it('gives the same rejection on both paths and queues nothing', async () => {
    const sim = valid('rejected');
    const rejections: { name: string; body: string; query: Record<string, string>; headers?: Record<string, string> }[] = [
      { name: 'forged msg_signature', body: sim.body, query: { ...sim.query, msg_signature: 'f'.repeat(40) } },
      { name: 'missing timestamp', body: sim.body, query: { ...sim.query, timestamp: '' } },
      { name: 'malformed body', body: '{"Encrypt":', query: sim.query },
      { name: 'no Encrypt', body: '{"ToUserName":"gh"}', query: sim.query },
      { name: 'oversize body', body: `{"Encrypt":"${'A'.repeat(5000)}"}`, query: sim.query },
      { name: 'form content type', body: sim.body, query: sim.query, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      { name: 'compressed body', body: sim.body, query: sim.query, headers: { 'content-encoding': 'gzip' } },
      { name: 'unknown encrypt_type', body: sim.body, query: { ...sim.query, encrypt_type: 'des' } },
    ];
    const before = await probe.count();
    for (const { name, ...init } of rejections) {
      const direct = await send('/wechat/default', init);
      expect(direct.status, name).toBeGreaterThanOrEqual(400);
      expect(direct.status, name).toBeLessThan(500);
      expect(await send('/wechat/default/', init), name).toEqual(direct);
    }
    expect(await send('/wechat/nope', sim)).toEqual(await send('/WECHAT/nope', sim));
    expect((await send('/wechat/nope', sim)).status).toBe(404);
    expect(await probe.count()).toBe(before);
  });

  it('answers 400, not 500, for an app name that is not valid percent-encoding', async () => {
    const sim = valid('bad-escape');
    expect(await postCallback(receiver.url, '/wechat/%E0%A4%A', sim)).toMatchObject({ status: 400, text: 'bad request' });
  });

  it('takes an absolute-form request target through Express to the same handler', async () => {
    const sim = valid('absolute-form');
    const target = `http://127.0.0.1:${receiver.port}/wechat/default?${new URLSearchParams(sim.query).toString()}`;
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: receiver.port, method: 'POST', path: target, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      req.on('error', reject);
      req.end(sim.body);
    });
    expect(status).toBe(200);
    expect((await probe.callbacks()).find((c) => c.query.nonce === 'absolute-form')).toMatchObject({ body: sim.body, query: sim.query });
  });
});
