import { MediaRefusedError } from '@wxcs/media';
import { MEDIA_GET_PATH, STABLE_TOKEN_PATH, WechatApiError } from '@wxcs/wechat-api';
import { describe, expect, it } from 'vitest';
import { judgeArchiveFailure } from './media-verdict.js';

const answered = (errcode: number, path = MEDIA_GET_PATH) => WechatApiError.fromAnswer(path, errcode, `refused rid: 0a1b2c3d-${errcode}`);

describe('judgeArchiveFailure', () => {
  it("ends the archive failed for WeChat's refusal of the id, and for a file that is no image or too large", () => {
    expect(judgeArchiveFailure(answered(40007))).toEqual({ kind: 'failed', reason: 'wechat_error', errcode: 40007, rid: '0a1b2c3d-40007' });
    expect(judgeArchiveFailure(new WechatApiError({ kind: 'permanent', path: MEDIA_GET_PATH, status: 404, errmsg: 'HTTP 404' }))).toMatchObject({ kind: 'failed', reason: 'wechat_refused' });
    expect(judgeArchiveFailure(new MediaRefusedError('not_an_image', 'x'))).toMatchObject({ kind: 'failed', reason: 'not_an_image' });
    expect(judgeArchiveFailure(new MediaRefusedError('too_large', 'x'))).toMatchObject({ kind: 'failed', reason: 'too_large' });
  });

  it('alerts, keeping the image pending, when nothing WeChat serves would work now', () => {
    expect(judgeArchiveFailure(answered(45009))).toEqual({ kind: 'alert', code: 'wechat_quota' });
    expect(judgeArchiveFailure(answered(40001))).toEqual({ kind: 'alert', code: 'wechat_token' });
    expect(judgeArchiveFailure(answered(40125, STABLE_TOKEN_PATH))).toEqual({ kind: 'alert', code: 'wechat_credentials' });
  });

  it('retries a busy WeChat, a network failure and anything else (the store, a bug)', () => {
    expect(judgeArchiveFailure(answered(-1))).toEqual({ kind: 'retry' });
    expect(judgeArchiveFailure(new WechatApiError({ kind: 'transient', path: MEDIA_GET_PATH, errmsg: 'network error', mayHaveArrived: true }))).toEqual({ kind: 'retry' });
    expect(judgeArchiveFailure(new Error('S3 said 503'))).toEqual({ kind: 'retry' });
  });
});
