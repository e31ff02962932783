import { describe, expect, it } from 'vitest';
import { parseDocument } from './document.js';
import { normalizeMessage } from './normalize-message.js';
import { buildTransferReply, isTransferable } from './transfer-reply.js';
import { sampleMessage } from './testing/sample-messages.js';

const now = new Date('2024-04-26T06:20:45.900Z');
const text = normalizeMessage(sampleMessage('text'));

describe('buildTransferReply', () => {
  it('builds the JSON reply with To/From swapped and CreateTime as a number', () => {
    expect(buildTransferReply({ message: text, format: 'json', now })).toBe(
      '{"ToUserName":"oG7Xw5KpT2rLm9QzA1bC3dE4fH6j","FromUserName":"gh_8f2d3c4b5a6e","CreateTime":1714112445,"MsgType":"transfer_customer_service"}',
    );
  });

  it('builds the XML reply with To/From swapped', () => {
    expect(buildTransferReply({ message: text, format: 'xml', now })).toBe(
      '<xml><ToUserName><![CDATA[oG7Xw5KpT2rLm9QzA1bC3dE4fH6j]]></ToUserName><FromUserName><![CDATA[gh_8f2d3c4b5a6e]]></FromUserName>' +
        '<CreateTime>1714112445</CreateTime><MsgType><![CDATA[transfer_customer_service]]></MsgType></xml>',
    );
  });

  it('produces documents our own parser reads back identically in both formats', () => {
    const json = parseDocument(buildTransferReply({ message: text, format: 'json', now }));
    const xml = parseDocument(buildTransferReply({ message: text, format: 'xml', now }));
    expect(json.fields).toEqual(xml.fields);
    expect(json.fields.ToUserName).toBe(text.fromUserName);
  });

  it('keeps hostile names intact inside CDATA', () => {
    const message = normalizeMessage({ ...sampleMessage('image'), FromUserName: 'o]]><x/>' });
    const reply = buildTransferReply({ message, format: 'xml', now });
    expect(parseDocument(reply).fields.ToUserName).toBe('o]]><x/>');
  });

  it('transfers images, cards and unknown message types but refuses events', () => {
    expect(isTransferable(normalizeMessage(sampleMessage('image')))).toBe(true);
    expect(isTransferable(normalizeMessage(sampleMessage('miniprogrampage')))).toBe(true);
    const event = normalizeMessage(sampleMessage('event'));
    expect(isTransferable(event)).toBe(false);
    expect(() => buildTransferReply({ message: event, format: 'json', now })).toThrow(
      expect.objectContaining({ name: 'PayloadError', code: 'not_transferable' }),
    );
  });

  it('rejects an invalid date', () => {
    expect(() => buildTransferReply({ message: text, format: 'json', now: new Date(Number.NaN) })).toThrow(RangeError);
  });
});
