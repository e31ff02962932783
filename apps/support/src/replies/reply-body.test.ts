import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/api-error.js';
import { REPLY_LIMITS, parseReplyBody } from './reply-body.js';

function refusal(body: unknown): unknown {
  try {
    parseReplyBody(body);
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, ...error.body };
    throw error;
  }
  throw new Error('accepted');
}

const link = { title: 'Order 42', description: 'Your order shipped', url: 'https://example.com/o/42', thumb_url: 'https://example.com/t.png' };
const card = { title: 'Order 42', pagepath: 'pages/order/index?id=42', thumb_media_id: 'MEDIA_id-1' };

describe('parseReplyBody', () => {
  it("accepts each of WeChat's four reply shapes as they are", () => {
    const bodies = [
      { msgtype: 'text', text: { content: '您好，已为您查询' } },
      { msgtype: 'image', image: { media_id: 'abc_DEF-123' } },
      { msgtype: 'link', link },
      { msgtype: 'miniprogrampage', miniprogrampage: card },
    ];
    for (const body of bodies) expect(parseReplyBody(body)).toEqual(body);
  });

  it('counts text in UTF-8 bytes: 682 three-byte characters fit, 683 do not', () => {
    expect(parseReplyBody({ msgtype: 'text', text: { content: '好'.repeat(682) } })).toBeTruthy();
    expect(REPLY_LIMITS.textContent).toBe(2048);
    expect(refusal({ msgtype: 'text', text: { content: '好'.repeat(683) } })).toMatchObject({
      status: 400,
      error: 'invalid_body',
      field: 'text.content',
      message: 'must be at most 2048 bytes (UTF-8)',
    });
  });

  it.each([
    ['an empty text', { msgtype: 'text', text: { content: '' } }, 'text.content', 'must not be empty'],
    ['a blank text', { msgtype: 'text', text: { content: ' \n ' } }, 'text.content', 'must not be empty'],
    ['a text without content', { msgtype: 'text', text: {} }, 'text.content', 'is required'],
    ['a number as content', { msgtype: 'text', text: { content: 42 } }, 'text.content', 'must be a string'],
    ['no msgtype', { text: { content: 'hi' } }, 'msgtype', 'must be one of text, image, link, miniprogrampage'],
    ['an unknown msgtype', { msgtype: 'voice', voice: {} }, 'msgtype', 'must be one of text, image, link, miniprogrampage'],
    ['a touser', { touser: 'o_other', msgtype: 'text', text: { content: 'hi' } }, 'touser', 'is not accepted: the path names the user'],
    ['a field of another type', { msgtype: 'text', text: { content: 'hi' }, image: { media_id: 'm' } }, 'image', 'is not a field of this message'],
    ['an image without media_id', { msgtype: 'image', image: {} }, 'image.media_id', 'is required'],
    ['a media_id with spaces', { msgtype: 'image', image: { media_id: 'a b' } }, 'image.media_id', 'must be a media_id from /media'],
    ['a link to a non-http URL', { msgtype: 'link', link: { ...link, url: 'javascript:alert(1)' } }, 'link.url', 'must be an http(s) URL'],
    ['a link without description', { msgtype: 'link', link: { ...link, description: undefined } }, 'link.description', 'is required'],
    ['a card without pagepath', { msgtype: 'miniprogrampage', miniprogrampage: { ...card, pagepath: '' } }, 'miniprogrampage.pagepath', 'must not be empty'],
  ])('refuses %s, naming the field', (_what, body, field, message) => {
    expect(refusal(body)).toMatchObject({ status: 400, error: 'invalid_body', field, message });
  });

  it('refuses what is not an object', () => {
    for (const body of [undefined, null, 'text', [1]]) expect(refusal(body)).toMatchObject({ status: 400, error: 'invalid_body', field: '' });
  });

  it('lists every problem, first one first', () => {
    const res = refusal({ msgtype: 'link', link: { ...link, title: '', url: 'ftp://x' } }) as { problems: { field: string }[] };
    expect(res.problems.map((problem) => problem.field)).toEqual(['link.title', 'link.url']);
  });
});

describe('parseReplyBody on missing parts', () => {
  it('says a missing message object is required, and a wrong one must be an object', () => {
    expect(refusal({ msgtype: 'text' })).toMatchObject({ field: 'text', message: 'is required' });
    expect(refusal({ msgtype: 'image', image: 'm' })).toMatchObject({ field: 'image', message: 'must be an object' });
  });
});
