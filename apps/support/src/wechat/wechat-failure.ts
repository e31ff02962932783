import type { Logger } from '@wxcs/logger';
import { isWechatApiError } from '@wxcs/wechat-api';
import { ApiError } from '../http/api-error.js';

/**
 * A failed call to WeChat as an answer. WeChat refusing (an errcode, an HTTP
 * 4xx, a spent quota) is 502 `wechat_refused` with WeChat's errcode, errmsg
 * and rid, to look up or quote to WeChat support; WeChat unreachable, slow,
 * busy (-1) or refusing the token again after a refresh is 503
 * `wechat_unavailable`, worth retrying. Anything else is rethrown (500).
 */
export function wechatFailure(error: unknown, context: { logger: Logger; app: string }): never {
  if (!isWechatApiError(error)) throw error;
  const { kind, path, errcode, errmsg, rid } = error;
  context.logger.warn({ app: context.app, path, kind, errcode, rid }, 'WeChat call failed');
  if (kind === 'transient' || kind === 'token') {
    throw new ApiError(503, 'wechat_unavailable', { errcode: errcode ?? null, errmsg });
  }
  throw new ApiError(502, 'wechat_refused', { errcode: errcode ?? null, errmsg, rid: rid ?? null });
}
