import { STABLE_TOKEN_PATH, WechatApiError } from '@wxcs/wechat-api';

/**
 * What a send's result means for the reply:
 * - `sent`: WeChat took it.
 * - `refused`: WeChat refused it for good (or we cannot send it); the reply
 *   ends `failed`. `alert` names the dead letter that tells an operator what
 *   to fix (the reply is failed, so replaying that letter does nothing).
 * - `retry`: WeChat certainly did not take it; a later attempt may send.
 * - `unknown`: WeChat may have taken it; the reply ends `failed` and is never
 *   sent again, so a user never gets it twice.
 */
export type SendVerdict =
  | { readonly kind: 'sent' }
  | { readonly kind: 'refused'; readonly errcode: number | null; readonly errmsg: string; readonly rid: string | null; readonly alert?: AlertCode }
  | { readonly kind: 'retry'; readonly errcode: number | null; readonly errmsg: string; readonly rid: string | null }
  | { readonly kind: 'unknown'; readonly errmsg: string };

/**
 * Dead-letter codes of failures only an operator can end: the daily quota
 * (wait for it to reset), a token WeChat keeps refusing, or credentials it
 * refuses (AppID, AppSecret, the server's IP not whitelisted).
 */
export type AlertCode = 'wechat_quota' | 'wechat_token' | 'wechat_credentials';

/** The errmsg prefix of a reply whose send's outcome is unknown; the text after it says why. */
export const OUTCOME_UNKNOWN = 'outcome_unknown';

export const SENT: SendVerdict = { kind: 'sent' };

export function outcomeUnknown(why: string): SendVerdict {
  return { kind: 'unknown', errmsg: `${OUTCOME_UNKNOWN}: ${why}; WeChat may have delivered it, so it is not sent again` };
}

/**
 * Judges a failed call. `requestSent` is false for the token fetch that
 * comes before the claim: nothing of the reply was sent, whatever the error.
 */
export function judgeFailure(error: unknown, requestSent: boolean): SendVerdict {
  if (!(error instanceof WechatApiError)) {
    const message = error instanceof Error ? error.message : String(error);
    // The client throws nothing else; if it did, nothing says the request never left.
    return requestSent ? outcomeUnknown(`unexpected error during the send (${message})`) : { kind: 'retry', errcode: null, errmsg: message, rid: null };
  }
  const answer = { errcode: error.errcode ?? null, errmsg: error.errmsg, rid: error.rid ?? null };
  switch (error.kind) {
    case 'quota':
      return { kind: 'refused', ...answer, alert: 'wechat_quota' };
    case 'token':
      return { kind: 'refused', ...answer, alert: 'wechat_token' };
    case 'window':
      return { kind: 'refused', ...answer };
    case 'permanent':
      return error.path === STABLE_TOKEN_PATH ? { kind: 'refused', ...answer, alert: 'wechat_credentials' } : { kind: 'refused', ...answer };
    case 'transient':
      if (requestSent && error.mayHaveArrived) return outcomeUnknown(`${error.errmsg} after the request was sent`);
      return { kind: 'retry', ...answer };
  }
}
