import { createCipheriv, createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

/**
 * Real image files for tests and benchmarks: what WeChat would serve for a
 * photo a user sent. Every function is deterministic in its seed, and
 * different seeds give different bytes.
 */

/** A 16×16 JPEG (a green-to-blue gradient) as Chromium's canvas encodes it. */
export const SMALL_JPEG: Buffer = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABAAD/8QAFRABAQAAAAAAAAAAAAAAAAAAAgD/xAAVAQEBAAAAAAAAAAAAAAAAAAAGB//EABgRAAMBAQAAAAAAAAAAAAAAAAADBSEx/9oADAMBAAIRAxEAPwArcdum7BuTzp3MJgpR/9k=',
  'base64',
);

/** Bytes that look random, from a seed: AES-CTR over zeros. */
function seededBytes(length: number, seed: string): Buffer {
  const key = createHash('sha256').update(seed).digest();
  return createCipheriv('aes-256-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(length));
}

const COMMENT_MARKER = Buffer.from([0xff, 0xfe]);
const MAX_SEGMENT_DATA = 65_533;

/**
 * A valid JPEG of exactly `size` bytes (at least SMALL_JPEG's and 4 more): the
 * small image with comment segments of seeded bytes after its start marker.
 * Decoders skip comments; archiving has to keep every byte of them.
 */
export function jpegOfSize(size: number, seed: string): Buffer {
  let room = size - SMALL_JPEG.length;
  if (room < 4) throw new RangeError(`a JPEG here has at least ${SMALL_JPEG.length + 4} bytes`);
  const filler = seededBytes(room, seed);
  const segments: Buffer[] = [];
  let offset = 0;
  while (room > 0) {
    // A segment is its marker (2), its length (2) and up to 65 533 bytes; what it leaves must fit another.
    let segment = Math.min(MAX_SEGMENT_DATA + 4, room);
    if (room - segment > 0 && room - segment < 4) segment -= 4;
    const data = segment - 4;
    const length = Buffer.alloc(2);
    length.writeUInt16BE(data + 2);
    segments.push(COMMENT_MARKER, length, filler.subarray(offset, offset + data));
    offset += data;
    room -= segment;
  }
  return Buffer.concat([SMALL_JPEG.subarray(0, 2), ...segments, SMALL_JPEG.subarray(2)]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A valid RGB PNG of seeded noise, stored without compression so its size follows its area. */
export function pngImage(width: number, height: number, seed: string): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, adaptive filtering, no interlace
  const rowBytes = width * 3;
  const pixels = seededBytes(rowBytes * height, seed);
  const raw = Buffer.alloc((rowBytes + 1) * height);
  for (let row = 0; row < height; row += 1) pixels.copy(raw, row * (rowBytes + 1) + 1, row * rowBytes, (row + 1) * rowBytes);
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw, { level: 0 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
