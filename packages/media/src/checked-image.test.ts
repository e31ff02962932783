import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkImage, MediaRefusedError } from './checked-image.js';

async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

const PNG_START = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('checkImage', () => {
  it('passes every byte on, magic number split across chunks included, and hashes them', async () => {
    const rest = Buffer.alloc(5_000, 7);
    const image = await checkImage({ body: chunks(PNG_START.subarray(0, 3), PNG_START.subarray(3), rest), contentLength: undefined }, 10_000);
    expect(image.contentType).toBe('image/png');
    expect(() => image.digest()).toThrow(/not been read/);
    const all = Buffer.concat([PNG_START, rest]);
    expect((await readAll(image.body)).equals(all)).toBe(true);
    expect(image.digest()).toEqual({ sha256: createHash('sha256').update(all).digest('hex'), size: all.length });
  });

  it('refuses what is not an image by its first bytes, and a declared or real size over the limit', async () => {
    await expect(checkImage({ body: chunks(Buffer.from('<html>')), contentLength: undefined }, 100)).rejects.toMatchObject({ reason: 'not_an_image' });
    await expect(checkImage({ body: chunks(PNG_START), contentLength: 101 }, 100)).rejects.toMatchObject({ reason: 'too_large' });
    const lying = await checkImage({ body: chunks(PNG_START, Buffer.alloc(93)), contentLength: 50 }, 100);
    await expect(readAll(lying.body)).rejects.toBeInstanceOf(MediaRefusedError);
    const exact = await checkImage({ body: chunks(PNG_START, Buffer.alloc(92)), contentLength: undefined }, 100);
    expect((await readAll(exact.body)).length).toBe(100);
  });
});
