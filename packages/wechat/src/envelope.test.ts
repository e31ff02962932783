import { describe, expect, it } from 'vitest';
import { readEnvelope } from './envelope.js';

describe('readEnvelope', () => {
  it('reads a safe-mode JSON envelope', () => {
    expect(readEnvelope('{"ToUserName":"gh_97417a04a28d","Encrypt":"QUJD"}')).toEqual({
      format: 'json',
      encrypt: 'QUJD',
      toUserName: 'gh_97417a04a28d',
    });
  });

  it('reads a safe-mode XML envelope', () => {
    expect(
      readEnvelope('<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><Encrypt><![CDATA[QUJD]]></Encrypt></xml>'),
    ).toEqual({ format: 'xml', encrypt: 'QUJD', toUserName: 'gh_97417a04a28d' });
  });

  it('has no encrypt for a plaintext message', () => {
    const envelope = readEnvelope('{"ToUserName":"gh_1","MsgType":"text","Content":"hi"}');
    expect(envelope).toEqual({ format: 'json', toUserName: 'gh_1' });
    expect('encrypt' in envelope).toBe(false);
  });

  it('sniffs JSON even when it looks nothing like the declared Content-Type', () => {
    expect(readEnvelope('\n {"Encrypt":"QUJD"}').format).toBe('json');
  });

  it('rejects an Encrypt that is a container, and unparseable bodies', () => {
    expect(() => readEnvelope('{"Encrypt":{"a":"b"}}')).toThrow(
      expect.objectContaining({ name: 'PayloadError', code: 'bad_field' }),
    );
    expect(() => readEnvelope('<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>')).toThrow(
      expect.objectContaining({ name: 'PayloadError', code: 'bad_field' }),
    );
    expect(() => readEnvelope('success')).toThrow(expect.objectContaining({ name: 'PayloadError' }));
  });
});
