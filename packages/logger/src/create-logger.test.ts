import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ name: 'test', level: 'debug', destination });
  return { logger, text: () => lines.join(''), parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes JSON with the service name and level label', () => {
    const { logger, parsed } = capture();
    logger.info({ queue: 'wechat-inbound', jobId: '7' }, 'persisted');
    expect(parsed()[0]).toMatchObject({ service: 'test', level: 'info', queue: 'wechat-inbound', jobId: '7', msg: 'persisted' });
  });

  it('redacts secrets by key at any depth', () => {
    const { logger, text, parsed } = capture();
    logger.info(
      {
        app: { token: 'tok-SECRET-1', encodingAesKey: 'KEY-SECRET-2', appId: 'wx1' },
        query: { signature: 'SIG-SECRET-3', msg_signature: 'SIG-SECRET-4', nonce: '42' },
        config: { DASHBOARD_PASSWORD: 'PW-SECRET-5', WECHAT_TOKEN: 'tok-SECRET-6' },
        headers: { authorization: 'Basic SECRET-7' },
      },
      'config',
    );
    for (const secret of ['SECRET-1', 'SECRET-2', 'SECRET-3', 'SECRET-4', 'SECRET-5', 'SECRET-6', 'SECRET-7']) {
      expect(text()).not.toContain(secret);
    }
    expect(parsed()[0]).toMatchObject({ app: { appId: 'wx1', token: '[Redacted]' }, query: { nonce: '42' } });
  });

  it('redacts the passwords of every Redis topology as the config describes it', () => {
    const { logger, text } = capture();
    logger.info({
      single: { kind: 'single', url: 'rediss://:URL-SECRET-1@cache.example:6380' },
      sentinel: { kind: 'sentinel', masterName: 'wxcs', password: 'NODE-SECRET-2', sentinelPassword: 'SENTINEL-SECRET-3' },
      cluster: { kind: 'cluster', password: 'NODE-SECRET-4' },
      env: { REDIS_PASSWORD: 'NODE-SECRET-5', REDIS_SENTINEL_PASSWORD: 'SENTINEL-SECRET-6' },
    });
    for (const secret of ['SECRET-1', 'SECRET-2', 'SECRET-3', 'SECRET-4', 'SECRET-5', 'SECRET-6']) expect(text()).not.toContain(secret);
    expect(text()).toContain('cache.example:6380');
  });

  it('removes credentials from URLs in fields, messages and errors', () => {
    const { logger, text } = capture();
    const error = new Error('connect ECONNREFUSED postgresql://app:PW-IN-URL@db:5432/x', {
      cause: new Error('redis://:REDIS-PW@cache:6379 down'),
    });
    logger.error({ err: error, url: 'rediss://user:OTHER-PW@host:6380/0' }, 'failed for postgres://u:MSG-PW@h/db');
    const out = text();
    for (const secret of ['PW-IN-URL', 'REDIS-PW', 'OTHER-PW', 'MSG-PW']) expect(out).not.toContain(secret);
    expect(out).toContain('postgresql://[Redacted]@db:5432/x');
    expect(out).toContain('ECONNREFUSED');
  });
});
