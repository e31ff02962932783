import { describe, expect, it } from 'vitest';
import { isMediaId } from '@wxcs/wechat';
import { archivableMediaOf } from './archivable-media.js';

const at = new Date('2026-12-01T00:00:00Z');

describe('archivableMediaOf', () => {
  it("names an image's media_id and a card's thumb_media_id, nothing for other messages", () => {
    expect(archivableMediaOf({ appId: 'wx1', msgType: 'image', msgInfo: { pic: 'http://x', media_id: 'abc_DEF-1' }, msgCreateTime: at })).toEqual({
      appId: 'wx1',
      mediaId: 'abc_DEF-1',
      receivedAt: at,
      usable: true,
    });
    expect(archivableMediaOf({ appId: 'wx1', msgType: 'miniprogrampage', msgInfo: { thumb_media_id: 'thumb1' }, msgCreateTime: at })?.mediaId).toBe('thumb1');
    expect(archivableMediaOf({ appId: 'wx1', msgType: 'miniprogrampage', msgInfo: { thumb_media_id: '' }, msgCreateTime: at })).toBeUndefined();
    expect(archivableMediaOf({ appId: 'wx1', msgType: 'text', msgInfo: { text: 'media_id' }, msgCreateTime: at })).toBeUndefined();
  });

  it('marks an id that cannot go into a query string or a job id as unusable', () => {
    expect(archivableMediaOf({ appId: 'wx1', msgType: 'image', msgInfo: { media_id: '../../x?y=1' }, msgCreateTime: at })?.usable).toBe(false);
    expect(isMediaId('a'.repeat(255))).toBe(true);
    expect(isMediaId('a'.repeat(256))).toBe(false);
    expect(isMediaId('has:colon')).toBe(false);
  });
});
