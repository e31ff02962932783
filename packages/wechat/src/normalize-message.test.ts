import { describe, expect, it } from 'vitest';
import { parseDocument } from './document.js';
import type { WechatFields } from './fields.js';
import { normalizeMessage } from './normalize-message.js';
import { sampleMessage } from './testing/sample-messages.js';

function expectPayloadError(fields: WechatFields, code: string): void {
  expect(() => normalizeMessage(fields)).toThrow(expect.objectContaining({ name: 'PayloadError', code }));
}

describe('normalizeMessage', () => {
  it('normalizes a text message and keeps every original field', () => {
    const fields = sampleMessage('text');
    expect(normalizeMessage(fields)).toEqual({
      kind: 'text',
      toUserName: fields.ToUserName,
      fromUserName: fields.FromUserName,
      createTime: '1714112445',
      msgType: 'text',
      msgId: '22223624286040849',
      content: 'hello',
      fields,
    });
  });

  it('normalizes an image message', () => {
    const message = normalizeMessage(sampleMessage('image'));
    expect(message).toMatchObject({
      kind: 'image',
      msgId: '22223624286040848',
      picUrl: 'http://mmbiz.qpic.cn/mmbiz_jpg/5Hq1Xb2aVwQ/0',
      mediaId: 'Tq3oP8Vd0nJ5kL2mX7rY9cB4wE1sA6fG_hZuI3jK',
    });
  });

  it('normalizes a user_enter_tempsession event with its SessionFrom and no msgId', () => {
    const message = normalizeMessage(sampleMessage('event'));
    expect(message).toMatchObject({
      kind: 'event',
      event: 'user_enter_tempsession',
      sessionFrom: "open-type='contact'",
    });
    expect('msgId' in message).toBe(false);
  });

  it('normalizes a miniprogrampage card, allowing empty or missing thumbnails', () => {
    const fields = sampleMessage('miniprogrampage');
    expect(normalizeMessage(fields)).toMatchObject({
      kind: 'miniprogrampage',
      msgId: '22223624286040850',
      title: '订单详情 Order #1024',
      appId: 'wx8d3c1f0a9b2e4d67',
      pagePath: 'pages/order/detail?id=1024&from=share',
      thumbUrl: '',
      thumbMediaId: '',
    });
    delete fields.ThumbUrl;
    delete fields.ThumbMediaId;
    expect(normalizeMessage(fields)).toMatchObject({ thumbUrl: '', thumbMediaId: '' });
  });

  it('keeps an unknown MsgType as kind other, with its MsgId', () => {
    const fields: WechatFields = { ...sampleMessage('text'), MsgType: 'voice', MediaId: 'm1', Format: 'amr' };
    delete fields.Content;
    expect(normalizeMessage(fields)).toMatchObject({ kind: 'other', msgType: 'voice', msgId: '22223624286040849' });
  });

  it('reads MsgID (capital D) as msgId for events that spell it that way', () => {
    const fields: WechatFields = { ...sampleMessage('event'), Event: 'MASSSENDJOBFINISH', MsgID: '1988' };
    expect(normalizeMessage(fields)).toMatchObject({ kind: 'event', msgId: '1988' });
  });

  it('accepts CreateTime sent as a JSON number or a JSON string', () => {
    const asNumber = parseDocument('{"ToUserName":"gh_1","FromUserName":"o1","CreateTime":1610969440,"MsgType":"event","Event":"x"}');
    const asString = parseDocument('{"ToUserName":"gh_1","FromUserName":"o1","CreateTime":"1610969440","MsgType":"event","Event":"x"}');
    expect(normalizeMessage(asNumber.fields).createTime).toBe('1610969440');
    expect(normalizeMessage(asString.fields).createTime).toBe('1610969440');
  });

  it.each(['ToUserName', 'FromUserName', 'CreateTime', 'MsgType'])('requires %s', (key) => {
    const missing = sampleMessage('text');
    delete missing[key];
    expectPayloadError(missing, 'missing_field');
    expectPayloadError({ ...sampleMessage('text'), [key]: '' }, 'missing_field');
  });

  it.each(['ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Content', 'MsgId'])(
    'rejects %s when it is a container instead of text',
    (key) => {
      expectPayloadError({ ...sampleMessage('text'), [key]: { a: '1' } }, 'bad_field');
      expectPayloadError({ ...sampleMessage('text'), [key]: ['1', '2'] }, 'bad_field');
    },
  );

  it.each(['1714112445.5', '-1714112445', '1e9', ' 1714112445', 'abc', '1'.repeat(21)])(
    'rejects CreateTime %j, which is not decimal seconds',
    (createTime) => {
      expectPayloadError({ ...sampleMessage('text'), CreateTime: createTime }, 'bad_field');
    },
  );

  it.each([
    ['text', 'MsgId'],
    ['image', 'PicUrl'],
    ['image', 'MediaId'],
    ['miniprogrampage', 'AppId'],
    ['event', 'Event'],
  ] as const)('rejects a %s message without %s', (sample, key) => {
    const fields = sampleMessage(sample);
    delete fields[key];
    expectPayloadError(fields, 'missing_field');
  });

  it('allows an empty text Content', () => {
    expect(normalizeMessage({ ...sampleMessage('text'), Content: '' })).toMatchObject({ content: '' });
  });
});
