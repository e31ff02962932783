import { describe, expect, it } from 'vitest';
import {
  AppIdMismatchError,
  DecryptError,
  InvalidAesKeyError,
  PayloadError,
  SignatureError,
  WechatProtocolError,
} from './errors.js';

describe('error vocabulary', () => {
  it('gives every subclass a stable code, its own name and the shared base', () => {
    const errors = [
      new SignatureError('bad_msg_signature', 'x'),
      new InvalidAesKeyError('bad_format', 'x'),
      new DecryptError('bad_padding', 'x'),
      new AppIdMismatchError('x'),
      new PayloadError('missing_field', 'x'),
    ];
    expect(errors.map((error) => [error.name, error.code])).toEqual([
      ['SignatureError', 'bad_msg_signature'],
      ['InvalidAesKeyError', 'bad_format'],
      ['DecryptError', 'bad_padding'],
      ['AppIdMismatchError', 'appid_mismatch'],
      ['PayloadError', 'missing_field'],
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(WechatProtocolError);
      expect(error).toBeInstanceOf(Error);
    }
  });

  it('keeps the wrapped error as cause', () => {
    const cause = new SyntaxError('inner');
    const error = new PayloadError('malformed_json', 'outer', { cause });
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('outer');
  });
});
