import type { Readable } from 'node:stream';
import type { BlobStorage, MediaBlob } from '@wxcs/db';
import type { CheckedImage } from './checked-image.js';

/** What media_blob keeps of a stored image beside its hash: the bytes themselves for PostgreSQL, nothing for S3. */
export interface KeptImage {
  readonly bytes: Uint8Array | null;
}

/**
 * Where archived images' bytes live. Blobs are named by their SHA-256, so
 * identical bytes are kept once whoever sent them.
 */
export interface MediaStore {
  readonly storage: BlobStorage;
  /**
   * Reads the image to its end and keeps it under its hash. `scratch` names
   * this archive (app and media id) for anything the store needs while the
   * hash is not known yet; a rerun after a crash reuses it.
   */
  readonly keep: (image: CheckedImage, scratch: string) => Promise<KeptImage>;
  /** An archived blob's bytes, as a stream; `bytes` is media_blob.bytes. */
  readonly open: (blob: MediaBlob, bytes: Uint8Array | null) => Promise<Readable>;
  /** Releases the store's connections, at shutdown. */
  readonly close: () => void;
}
