import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { jpegOfSize, pngImage, SMALL_JPEG } from './images.js';

/** The JPEG's segments from SOI to SOS, each with a valid length: what a decoder walks before the image data. */
function jpegSegments(bytes: Buffer): number[] {
  expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  const markers: number[] = [];
  let offset = 2;
  while (offset < bytes.length) {
    expect(bytes[offset]).toBe(0xff);
    const marker = bytes[offset + 1] ?? 0;
    markers.push(marker);
    if (marker === 0xda) break; // start of scan: entropy-coded data follows
    offset += 2 + bytes.readUInt16BE(offset + 2);
  }
  return markers;
}

describe('test images', () => {
  it('jpegOfSize is a JPEG of exactly the size asked, whose segments a decoder can walk, different per seed', () => {
    for (const size of [SMALL_JPEG.length + 4, SMALL_JPEG.length + 5, 70_000, 65_537 + SMALL_JPEG.length + 2, 2 * 1024 * 1024]) {
      const jpeg = jpegOfSize(size, 'a');
      expect(jpeg.length).toBe(size);
      expect(jpegSegments(jpeg).at(-1)).toBe(0xda);
      expect(jpeg.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    }
    expect(jpegOfSize(10_000, 'a').equals(jpegOfSize(10_000, 'b'))).toBe(false);
    expect(jpegOfSize(10_000, 'a').equals(jpegOfSize(10_000, 'a'))).toBe(true);
  });

  it('pngImage is a PNG whose pixel data inflates to its declared size', () => {
    const png = pngImage(10, 4, 'x');
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(10);
    expect(png.readUInt32BE(20)).toBe(4);
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString('ascii')).toBe('IDAT');
    expect(inflateSync(png.subarray(41, 41 + idatLength)).length).toBe((10 * 3 + 1) * 4);
  });
});
