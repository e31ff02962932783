export {
  WechatApiError,
  classifyErrcode,
  isWechatApiError,
  parseRid,
  type WechatApiErrorDetails,
  type WechatErrorKind,
} from './errors.js';
export type { Fetch } from './http.js';
export { STABLE_TOKEN_PATH, createStableTokenFetcher, type AccessTokenFetcher, type FetchedToken } from './stable-token.js';
export { WECHAT_RENEWS_AHEAD_MS, createTokenStore, type TokenStore, type TokenStoreOptions } from './token-store.js';
export { MEDIA_GET_PATH } from './media-download.js';
export {
  SEND_PATH,
  TYPING_PATH,
  UPLOAD_PATH,
  createWechatApiClient,
  type WechatApiClient,
  type WechatApiClientOptions,
} from './client.js';
export type { MediaDownload, OutboundMessage, UploadedMedia, WechatApp } from './types.js';
export {
  TOKEN_REFRESH_AHEAD_MS,
  createWechatApi,
  sharedTokenPrefix,
  type TokenFetchEvent,
  type WechatApi,
  type WechatApiOptions,
} from './create-wechat-api.js';
