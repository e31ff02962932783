import { describe, expect, it } from 'vitest';
import type { WechatFields } from './fields.js';
import { messageInfo } from './message-info.js';
import { normalizeMessage } from './normalize-message.js';
import { sampleMessage } from './testing/sample-messages.js';
import { toSnakeCase } from './snake-case.js';

const infoOf = (fields: WechatFields) => messageInfo(normalizeMessage(fields));

describe('messageInfo', () => {
  it('text -> {text}', () => {
    expect(infoOf(sampleMessage('text'))).toEqual({ text: 'hello' });
  });

  it('image -> {pic, media_id}', () => {
    expect(infoOf(sampleMessage('image'))).toEqual({
      pic: 'http://mmbiz.qpic.cn/mmbiz_jpg/5Hq1Xb2aVwQ/0',
      media_id: 'Tq3oP8Vd0nJ5kL2mX7rY9cB4wE1sA6fG_hZuI3jK',
    });
  });

  it('miniprogrampage -> {title, app_id, page_path, thumb_url, thumb_media_id}', () => {
    expect(infoOf(sampleMessage('miniprogrampage'))).toEqual({
      title: '订单详情 Order #1024',
      app_id: 'wx8d3c1f0a9b2e4d67',
      page_path: 'pages/order/detail?id=1024&from=share',
      thumb_url: '',
      thumb_media_id: '',
    });
  });

  it('event -> {event, session_from} when SessionFrom is present', () => {
    expect(infoOf(sampleMessage('event'))).toEqual({ event: 'user_enter_tempsession', session_from: "open-type='contact'" });
  });

  it('event without SessionFrom has no session_from key', () => {
    const fields = sampleMessage('event');
    delete fields.SessionFrom;
    expect(infoOf(fields)).toEqual({ event: 'user_enter_tempsession' });
  });

  it('event keeps its other scalar fields but not nested ones', () => {
    const fields: WechatFields = {
      ...sampleMessage('event'),
      Event: 'wxa_media_check',
      appid: 'wx1',
      trace_id: 't1',
      result: { suggest: 'pass', label: '100' },
      detail: [{ strategy: 'content_model' }],
    };
    delete fields.SessionFrom;
    expect(infoOf(fields)).toEqual({ event: 'wxa_media_check', appid: 'wx1', trace_id: 't1' });
  });

  it('other types: their own scalar fields, snake_case, without the four common ones', () => {
    const fields: WechatFields = {
      ToUserName: 'gh_1',
      FromUserName: 'o1',
      CreateTime: '1',
      MsgType: 'voice',
      MediaId: 'm1',
      Format: 'amr',
      MsgID: '42',
      MsgId: '43',
      Extra: { Nested: 'x' },
    };
    // msg_id is the same id dedupKey and normalizeMessage use (MsgId wins over MsgID).
    expect(infoOf(fields)).toEqual({ media_id: 'm1', format: 'amr', msg_id: '43' });
  });

  it('keeps a "__proto__" field as plain data', () => {
    const fields: WechatFields = { ToUserName: 'gh_1', FromUserName: 'o1', CreateTime: '1', MsgType: 'x' };
    Object.defineProperty(fields, '__proto__', { value: 'p', enumerable: true });
    const info = infoOf(fields);
    expect(Object.getPrototypeOf(info)).toBe(Object.prototype);
    expect(Object.entries(info)).toEqual([['__proto__', 'p']]);
  });
});

describe('toSnakeCase', () => {
  it.each([
    ['ThumbMediaId', 'thumb_media_id'],
    ['MsgID', 'msg_id'],
    ['PicUrl', 'pic_url'],
    ['debug_str', 'debug_str'],
    ['SessionFrom', 'session_from'],
    ['URLLink', 'url_link'],
  ])('%s -> %s', (input, output) => {
    expect(toSnakeCase(input)).toBe(output);
  });
});
