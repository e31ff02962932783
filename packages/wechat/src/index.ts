// Public surface of @wxcs/wechat: pure protocol code, no I/O.
export {
  AppIdMismatchError,
  DecryptError,
  InvalidAesKeyError,
  PayloadError,
  SignatureError,
  WechatProtocolError,
} from './errors.js';
export type {
  AppIdMismatchErrorCode,
  DecryptErrorCode,
  InvalidAesKeyErrorCode,
  PayloadErrorCode,
  SignatureErrorCode,
} from './errors.js';

export { computeSignature, verifyUrlSignature } from './signature.js';

export { decryptMessage, encryptMessage } from './message-crypto.js';

export type { DataFormat } from './format.js';
export type { WechatFields, WechatValue } from './fields.js';
export { parseDocument } from './document.js';
export type { ParsedDocument } from './document.js';

export { MESSAGE_ENCRYPTIONS, authenticateCallback } from './authenticate-callback.js';
export type {
  AuthenticateCallbackInput,
  AuthenticatedCallback,
  CallbackQuery,
  MessageEncryption,
} from './authenticate-callback.js';
export { openAuthenticated, openCallback } from './open-callback.js';
export type { AppCredentials, OpenedCallback } from './open-callback.js';
export { appCredentials, createAppDirectory } from './app-directory.js';
export type { AppDirectory, ConfiguredApp, DirectoryApp } from './app-directory.js';

export { normalizeMessage } from './normalize-message.js';
export type {
  EventMessage,
  ImageMessage,
  InboundMessage,
  MessageBase,
  MessageKind,
  MiniProgramPageMessage,
  OtherMessage,
  TextMessage,
} from './message.js';
export { dedupKey } from './dedup-key.js';
export { messageInfo } from './message-info.js';

export {
  MAX_REPLIES_PER_ACTION,
  WINDOW_ALLOWANCES,
  applyAction,
  checkReply,
  openWindow,
  recordReply,
  spendReply,
  windowActionOf,
  type ConversationWindow,
} from './reply-window.js';
export type { ReplyCheck, ReplyRefusal, ReplyWindow, WindowAction } from './reply-window.js';

export { buildTransferReply, isTransferable } from './transfer-reply.js';
export { sealReply } from './seal-reply.js';

export { MEDIA_ID_PATTERN, isMediaId } from './media-id.js';
