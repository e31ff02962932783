import { describe, expect, it } from 'vitest';
import { sniffImage } from './image-type.js';

describe('sniffImage', () => {
  it('knows PNG, JPEG and GIF by their first bytes', () => {
    expect(sniffImage(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toEqual({ type: 'image/png', extension: 'png' });
    expect(sniffImage(Buffer.from('ffd8ffe000104a464946', 'hex'))).toEqual({ type: 'image/jpeg', extension: 'jpg' });
    expect(sniffImage(Buffer.from('GIF89a\x01\x00', 'latin1'))).toEqual({ type: 'image/gif', extension: 'gif' });
  });

  it('knows nothing else, nor a file too short to tell', () => {
    for (const bytes of [Buffer.from('%PDF-1.7'), Buffer.from('89504e47', 'hex'), Buffer.alloc(0), Buffer.from('<svg/>')]) {
      expect(sniffImage(bytes)).toBeUndefined();
    }
  });
});
