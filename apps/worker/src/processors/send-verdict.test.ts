import { SEND_PATH, STABLE_TOKEN_PATH, WechatApiError, type WechatErrorKind } from '@wxcs/wechat-api';
import { describe, expect, it } from 'vitest';
import { judgeFailure } from './send-verdict.js';

const answered = (errcode: number, errmsg = `refused rid: 1a2b-3c4d-5e6f`, path = SEND_PATH) => WechatApiError.fromAnswer(path, errcode, errmsg);
const unanswered = (kind: WechatErrorKind, mayHaveArrived: boolean, errmsg = 'network error', path = SEND_PATH) =>
  new WechatApiError({ kind, path, errmsg, mayHaveArrived });

describe('judgeFailure', () => {
  it.each([45015, 45047, 40003, 48001, 40007])('%i ends the reply failed with the code and rid, no alert', (errcode) => {
    expect(judgeFailure(answered(errcode), true)).toEqual({ kind: 'refused', errcode, errmsg: 'refused rid: 1a2b-3c4d-5e6f', rid: '1a2b-3c4d-5e6f' });
  });

  it('the daily quota and a token refused twice end the reply failed and alert an operator', () => {
    expect(judgeFailure(answered(45009), true)).toMatchObject({ kind: 'refused', errcode: 45009, alert: 'wechat_quota' });
    expect(judgeFailure(answered(40001), true)).toMatchObject({ kind: 'refused', errcode: 40001, alert: 'wechat_token' });
  });

  it('credentials WeChat refuses while fetching a token alert an operator; the send was never made', () => {
    expect(judgeFailure(answered(40125, 'invalid appsecret', STABLE_TOKEN_PATH), false)).toEqual({
      kind: 'refused',
      errcode: 40125,
      errmsg: 'invalid appsecret',
      rid: null,
      alert: 'wechat_credentials',
    });
  });

  it('a transient failure before the request could arrive is retried', () => {
    expect(judgeFailure(answered(-1, 'system error'), true)).toEqual({ kind: 'retry', errcode: -1, errmsg: 'system error', rid: null });
    expect(judgeFailure(unanswered('transient', false), true)).toEqual({ kind: 'retry', errcode: null, errmsg: 'network error', rid: null });
  });

  it('a transient failure after the request may have arrived is an unknown outcome, never retried', () => {
    const verdict = judgeFailure(unanswered('transient', true, 'no answer within 500 ms'), true);
    expect(verdict).toEqual({
      kind: 'unknown',
      errmsg: 'outcome_unknown: no answer within 500 ms after the request was sent; WeChat may have delivered it, so it is not sent again',
    });
  });

  it('before the send (the token fetch), even a timeout is retried: nothing of the reply left', () => {
    expect(judgeFailure(unanswered('transient', true, 'no answer within 500 ms', STABLE_TOKEN_PATH), false)).toMatchObject({ kind: 'retry' });
  });

  it('an error that is not WeChat’s: unknown once the send began, retried before', () => {
    expect(judgeFailure(new TypeError('boom'), true)).toMatchObject({ kind: 'unknown', errmsg: expect.stringContaining('boom') as string });
    expect(judgeFailure(new TypeError('boom'), false)).toEqual({ kind: 'retry', errcode: null, errmsg: 'boom', rid: null });
  });
});
