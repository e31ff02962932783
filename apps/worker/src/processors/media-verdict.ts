import { MediaRefusedError } from '@wxcs/media';
import { STABLE_TOKEN_PATH, WechatApiError } from '@wxcs/wechat-api';

/**
 * What a failed archive attempt means for the image:
 * - `failed`: it will never be archived (WeChat refused the id, e.g. 40007
 *   for an expired or unknown one; the file is not an image or too large);
 *   the archive ends failed with the reason.
 * - `alert`: nothing about this image is wrong, but WeChat will not serve
 *   anything now (the daily quota, a token refused after a fresh one, the
 *   AppID, AppSecret or IP whitelist): dead-lettered for an operator, the
 *   archive stays pending, and a replay fetches it.
 * - `retry`: anything else (network, timeout, WeChat busy, the store):
 *   tried again with backoff.
 */
export type MediaVerdict =
  | { readonly kind: 'failed'; readonly reason: string; readonly errcode: number | undefined; readonly rid: string | undefined }
  | { readonly kind: 'alert'; readonly code: 'wechat_quota' | 'wechat_token' | 'wechat_credentials' }
  | { readonly kind: 'retry' };

export function judgeArchiveFailure(error: unknown): MediaVerdict {
  if (error instanceof MediaRefusedError) return { kind: 'failed', reason: error.reason, errcode: undefined, rid: undefined };
  if (!(error instanceof WechatApiError)) return { kind: 'retry' };
  switch (error.kind) {
    case 'quota':
      return { kind: 'alert', code: 'wechat_quota' };
    case 'token':
      return { kind: 'alert', code: 'wechat_token' };
    case 'transient':
      return { kind: 'retry' };
    default:
      if (error.path === STABLE_TOKEN_PATH) return { kind: 'alert', code: 'wechat_credentials' };
      return { kind: 'failed', reason: error.errcode === undefined ? 'wechat_refused' : 'wechat_error', errcode: error.errcode, rid: error.rid };
  }
}
