import { describe, expect, it } from 'vitest';
import { dedupKey } from './dedup-key.js';
import { parseDocument } from './document.js';
import { fieldsDigest } from './fields-digest.js';
import type { WechatFields } from './fields.js';
import { normalizeMessage } from './normalize-message.js';
import { sampleMessage } from './testing/sample-messages.js';
import { serializeFields } from './testing/simulate-callback.js';

const keyOf = (fields: WechatFields) => dedupKey(normalizeMessage(fields));

const event = (extra: WechatFields): WechatFields => ({
  ToUserName: 'gh_1',
  FromUserName: 'o1',
  CreateTime: '1714112445',
  MsgType: 'event',
  Event: 'user_enter_tempsession',
  ...extra,
});

describe('dedupKey', () => {
  it('uses msg:<MsgId> for messages', () => {
    expect(keyOf(sampleMessage('text'))).toBe('msg:22223624286040849');
  });

  it('keeps the three neighbouring big MsgIds apart, from JSON and from XML', () => {
    const ids = ['22223624286040849', '22223624286040848', '22223624286040850'];
    for (const format of ['json', 'xml'] as const) {
      const keys = ids.map((id) => {
        const body =
          format === 'json'
            ? `{"ToUserName":"gh_1","FromUserName":"o1","CreateTime":1714112445,"MsgType":"text","Content":"hi","MsgId":${id}}`
            : `<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1714112445</CreateTime><MsgType>text</MsgType><Content>hi</Content><MsgId>${id}</MsgId></xml>`;
        return keyOf(parseDocument(body).fields);
      });
      expect(keys).toEqual(ids.map((id) => `msg:${id}`));
    }
  });

  it('uses MsgID (capital D) too', () => {
    expect(keyOf(event({ Event: 'MASSSENDJOBFINISH', MsgID: '1988' }))).toBe('msg:1988');
  });

  it('builds a length-prefixed event key from FromUserName, CreateTime, MsgType, Event and the fields digest', () => {
    const fields = event({});
    expect(keyOf(fields)).toBe(`evt:2:o110:17141124455:event22:user_enter_tempsession-43:${fieldsDigest(fields)}`);
  });

  it('separates two session entries of one user in the same second that differ only in SessionFrom', () => {
    const fromCart = keyOf(event({ SessionFrom: 'cart' }));
    const fromOrder = keyOf(event({ SessionFrom: 'order' }));
    expect(fromCart).not.toBe(fromOrder);
    expect(keyOf(event({ SessionFrom: 'cart' }))).toBe(fromCart);
  });

  it('is the same for an event parsed from JSON and from XML', () => {
    const fields = event({ SessionFrom: "open-type='contact'" });
    const json = keyOf(parseDocument(serializeFields(fields, 'json')).fields);
    const xml = keyOf(parseDocument(serializeFields(fields, 'xml')).fields);
    expect(json).toBe(keyOf(fields));
    expect(xml).toBe(json);
  });

  it('separates two different events from one user in the same second', () => {
    const enter = keyOf(event({}));
    const subscribe = keyOf(event({ Event: 'subscribe_msg_popup_event' }));
    expect(enter).not.toBe(subscribe);
  });

  it('cannot be forged into a collision by moving text between parts', () => {
    // With a plain join both would read "o1:1714112445:event:x".
    const a = keyOf(event({ FromUserName: 'o1:1714112445', CreateTime: '1', Event: 'x' }));
    const b = keyOf(event({ FromUserName: 'o1', CreateTime: '1', Event: '1714112445:x' }));
    expect(a).not.toBe(b);
    // An absent Event is not the same as a literal event named "-".
    const other = keyOf({ ToUserName: 'gh_1', FromUserName: 'o1', CreateTime: '1', MsgType: 'voice' });
    expect(other).toMatch(/^evt:2:o11:15:voice--43:[A-Za-z0-9_-]{43}$/);
  });

  it('adds trace_id for wxa_media_check events', () => {
    const a = keyOf(event({ Event: 'wxa_media_check', trace_id: 'trace-a' }));
    const b = keyOf(event({ Event: 'wxa_media_check', trace_id: 'trace-b' }));
    expect(a).toContain('trace-a');
    expect(a).not.toBe(b);
  });

  it('keys an event with an id of its own by that id alone, as keys stored before the digest existed', () => {
    const key = keyOf(event({ Event: 'wxa_media_check', trace_id: 'trace-a', result: { suggest: 'pass' } }));
    expect(key).toBe('evt:2:o110:17141124455:event15:wxa_media_check9:7:trace-a');
    expect(keyOf(event({ Event: 'wxa_media_check', trace_id: 'trace-a', result: { suggest: 'risky' } }))).toBe(key);
  });

  it('adds the MsgIDs of a subscribe_msg_sent_event List, whether object, array or XML-wrapped', () => {
    const one = keyOf(event({ Event: 'subscribe_msg_sent_event', List: { TemplateId: 't', MsgID: '1864323726461255680' } }));
    const two = keyOf(
      event({ Event: 'subscribe_msg_sent_event', List: [{ MsgID: '1864323726461255680' }, { MsgID: '1864323726461255681' }] }),
    );
    const wrapped = keyOf(
      event({ Event: 'subscribe_msg_sent_event', SubscribeMsgSentEvent: { List: { MsgID: '1864323726461255680' } } }),
    );
    expect(one).toContain('1864323726461255680');
    expect(two).toContain('1864323726461255681');
    expect(one).not.toBe(two);
    expect(wrapped).toBe(one);
  });

  it('is the same for a retry whose fields arrive in another order', () => {
    const fields = event({ SessionFrom: 'x' });
    const reordered = Object.fromEntries(Object.entries(fields).reverse());
    expect(keyOf(reordered)).toBe(keyOf(fields));
  });
});
