import { describe, expect, it } from 'vitest';
import { parseDocument } from './document.js';
import { MAX_DOCUMENT_LENGTH } from './limits.js';

describe('parseDocument', () => {
  it('detects the format from the body and parses it', () => {
    expect(parseDocument('{"MsgType":"text"}')).toEqual({ format: 'json', fields: { MsgType: 'text' } });
    expect(parseDocument('<xml><MsgType><![CDATA[text]]></MsgType></xml>')).toEqual({
      format: 'xml',
      fields: { MsgType: 'text' },
    });
  });

  it('gives identical fields for the same message in JSON and XML', () => {
    const json = parseDocument(
      '{"ToUserName":"gh_1","CreateTime":1714112445,"MsgType":"text","Content":"007","MsgId":22223624286040849}',
    );
    const xml = parseDocument(
      '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><CreateTime>1714112445</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[007]]></Content><MsgId>22223624286040849</MsgId></xml>',
    );
    expect(json.fields).toEqual(xml.fields);
  });

  it('accepts a leading byte-order mark in both formats', () => {
    expect(parseDocument('\uFEFF{"a":"b"}').fields).toEqual({ a: 'b' });
    expect(parseDocument('\uFEFF<xml><a>b</a></xml>').fields).toEqual({ a: 'b' });
  });

  it('rejects a body of the other format when one is required', () => {
    expect(() => parseDocument('<xml/>', 'json')).toThrow(
      expect.objectContaining({ name: 'PayloadError', code: 'format_mismatch' }),
    );
    expect(() => parseDocument('{}', 'xml')).toThrow(
      expect.objectContaining({ name: 'PayloadError', code: 'format_mismatch' }),
    );
  });

  it('rejects oversized bodies before parsing', () => {
    const body = `{"a":"${'x'.repeat(MAX_DOCUMENT_LENGTH)}"}`;
    expect(() => parseDocument(body)).toThrow(expect.objectContaining({ code: 'too_large' }));
  });

  it('rejects bodies that are neither JSON nor XML', () => {
    expect(() => parseDocument('success')).toThrow(expect.objectContaining({ code: 'unknown_format' }));
  });
});
