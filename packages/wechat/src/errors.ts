// One small vocabulary for everything that can be wrong with a callback.
// Every class carries a stable machine-readable `code`, so callers branch on
// `instanceof` + `code` and never on message text. All of them describe a
// property of the input, so a retry cannot succeed: the worker should treat
// them as permanent failures.

export class WechatProtocolError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

export type SignatureErrorCode =
  | 'missing_signature'
  | 'bad_signature'
  | 'bad_msg_signature'
  | 'encryption_required';

export class SignatureError extends WechatProtocolError {
  declare readonly code: SignatureErrorCode;

  constructor(code: SignatureErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

export type InvalidAesKeyErrorCode = 'bad_format' | 'bad_length';

export class InvalidAesKeyError extends WechatProtocolError {
  declare readonly code: InvalidAesKeyErrorCode;

  constructor(code: InvalidAesKeyErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

export type DecryptErrorCode =
  | 'bad_base64'
  | 'bad_block_size'
  | 'bad_padding'
  | 'bad_length'
  | 'bad_utf8'
  | 'cipher_failure';

export class DecryptError extends WechatProtocolError {
  declare readonly code: DecryptErrorCode;

  constructor(code: DecryptErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

export type AppIdMismatchErrorCode = 'appid_mismatch';

export class AppIdMismatchError extends WechatProtocolError {
  declare readonly code: AppIdMismatchErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super('appid_mismatch', message, options);
  }
}

export type PayloadErrorCode =
  | 'unknown_format'
  | 'format_mismatch'
  | 'too_large'
  | 'too_deep'
  | 'malformed_json'
  | 'malformed_xml'
  | 'duplicate_key'
  | 'bad_root'
  | 'doctype_forbidden'
  | 'bad_entity'
  | 'bad_element_name'
  | 'name_too_long'
  | 'attribute_forbidden'
  | 'mixed_content'
  | 'missing_field'
  | 'bad_field'
  | 'missing_encrypt'
  | 'bad_encrypt'
  | 'unexpected_field'
  | 'unsupported_encrypt_type'
  | 'not_transferable';

export class PayloadError extends WechatProtocolError {
  declare readonly code: PayloadErrorCode;

  constructor(code: PayloadErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
