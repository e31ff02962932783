import { Readable } from 'node:stream';
import type { MediaStore } from './media-store.js';

/**
 * Images in PostgreSQL (media_blob.bytes): nothing more to run. The bytes
 * go into the row in one statement, so this store holds each image whole
 * while it is archived (at most MEDIA_MAX_BYTES per job).
 */
export function createPostgresStore(): MediaStore {
  return {
    storage: 'postgres',
    keep: async (image) => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of image.body) chunks.push(chunk);
      return { bytes: Buffer.concat(chunks) };
    },
    open: (blob, bytes) =>
      bytes === null
        ? Promise.reject(new Error(`media_blob ${blob.sha256} is stored in PostgreSQL but has no bytes`))
        : Promise.resolve(Readable.from([Buffer.from(bytes)])),
    // The bytes go through the caller's Prisma client.
    close: () => undefined,
  };
}
