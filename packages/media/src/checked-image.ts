import { createHash } from 'node:crypto';
import { sniffImage } from './image-type.js';

/** Why a file WeChat served is not archived: retrying cannot change it. */
export type RefusalReason = 'not_an_image' | 'too_large';

export class MediaRefusedError extends Error {
  override readonly name = 'MediaRefusedError';
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
  }
}

/** An image's bytes as they arrive, hashed and counted on the way. */
export interface CheckedImage {
  /** By the magic number: image/jpeg, image/png or image/gif. */
  readonly contentType: string;
  /** What the answer declared; the bytes are counted regardless. */
  readonly declaredLength: number | undefined;
  /** Read once; throws MediaRefusedError('too_large') past the limit. */
  readonly body: AsyncIterable<Uint8Array>;
  /** SHA-256 (hex) and size of the bytes, once `body` has been read to its end. */
  readonly digest: () => { readonly sha256: string; readonly size: number };
  /** The refusal `body` threw, if any: a store may wrap its stream's error in one of its own. */
  readonly refusal: () => MediaRefusedError | undefined;
}

// The longest magic number sniffImage checks.
const MAGIC_BYTES = 8;

/**
 * Checks a file before any of it is stored: its declared length against the
 * limit, then its first bytes against the image types WeChat serves. The
 * rest is hashed and counted as it passes, so a file longer than declared is
 * refused at the limit, not after it was held whole.
 */
export async function checkImage(
  file: { readonly body: AsyncIterable<Uint8Array>; readonly contentLength: number | undefined },
  maxBytes: number,
): Promise<CheckedImage> {
  if (file.contentLength !== undefined && file.contentLength > maxBytes) {
    throw new MediaRefusedError('too_large', `the file declares ${file.contentLength} bytes, more than ${maxBytes}`);
  }
  const iterator = file.body[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let ended = false;
  while (!ended && headBytes < MAGIC_BYTES) {
    const next = await iterator.next();
    if (next.done) ended = true;
    else {
      head.push(next.value);
      headBytes += next.value.length;
    }
  }
  const image = sniffImage(Buffer.concat(head));
  if (image === undefined) {
    await iterator.return?.();
    throw new MediaRefusedError('not_an_image', 'the file is not a JPEG, PNG or GIF image by its first bytes');
  }

  const hash = createHash('sha256');
  let size = 0;
  let sha256: string | undefined;
  let refusal: MediaRefusedError | undefined;
  const pass = (chunk: Uint8Array): Uint8Array => {
    size += chunk.length;
    if (size > maxBytes) {
      refusal = new MediaRefusedError('too_large', `the file has more than ${maxBytes} bytes`);
      throw refusal;
    }
    hash.update(chunk);
    return chunk;
  };
  async function* body(): AsyncGenerator<Uint8Array> {
    for (const chunk of head) yield pass(chunk);
    if (!ended) {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield pass(next.value);
    }
    sha256 = hash.digest('hex');
  }
  return {
    contentType: image.type,
    declaredLength: file.contentLength,
    body: body(),
    digest: () => {
      if (sha256 === undefined) throw new Error('the image has not been read to its end');
      return { sha256, size };
    },
    refusal: () => refusal,
  };
}
