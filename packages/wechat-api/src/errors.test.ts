import { describe, expect, it } from 'vitest';
import { WechatApiError, classifyErrcode, parseRid } from './errors.js';

describe('classifyErrcode', () => {
  it.each([
    [-1, 'transient'],
    [40001, 'token'],
    [42001, 'token'],
    [40014, 'token'],
    [45009, 'quota'],
    [45015, 'window'],
    [45047, 'window'],
    [40003, 'permanent'],
    [48001, 'permanent'],
    [40004, 'permanent'],
    [40007, 'permanent'],
    [45080, 'permanent'],
    [45081, 'permanent'],
    [45072, 'permanent'],
    [40013, 'permanent'],
    [40125, 'permanent'],
    [40164, 'permanent'],
    [12345, 'permanent'],
  ] as const)('%i is %s', (errcode, kind) => {
    expect(classifyErrcode(errcode)).toBe(kind);
  });
});

describe('parseRid', () => {
  it('reads the rid WeChat appends to errmsg', () => {
    expect(parseRid('response out of time limit or subscription is canceled rid: 5f3ded7d-22929d02-4ba1f5f6')).toBe(
      '5f3ded7d-22929d02-4ba1f5f6',
    );
    expect(parseRid('invalid media_id hint: [Lg.ZAa07440024] rid: 6087f0d0-5c83dcaa-438ebbcc')).toBe(
      '6087f0d0-5c83dcaa-438ebbcc',
    );
  });

  it('is undefined without one', () => {
    expect(parseRid('ok')).toBeUndefined();
    expect(parseRid('rid:')).toBeUndefined();
  });

  it('stays linear on long hostile input', () => {
    const started = performance.now();
    parseRid('rid: '.repeat(50_000) + '-'.repeat(100_000));
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('WechatApiError', () => {
  it('carries the errcode, its kind and the rid of an answer', () => {
    const error = WechatApiError.fromAnswer('/cgi-bin/message/custom/send', 45047, 'out of response count limit rid: 64a774ce-020c072d-6c820ec0');
    expect(error).toMatchObject({ kind: 'window', errcode: 45047, rid: '64a774ce-020c072d-6c820ec0' });
    expect(error.message).toContain('/cgi-bin/message/custom/send');
  });
});
