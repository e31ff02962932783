import type { MediaStoreConfig } from '@wxcs/config';
import type { MediaStore } from './media-store.js';
import { createPostgresStore } from './postgres-store.js';
import { createS3Client } from './s3-client.js';
import { createS3Store } from './s3-store.js';

/** The store MEDIA_STORE names; the config has checked that s3 comes with its bucket. */
export function createMediaStore(config: MediaStoreConfig): MediaStore {
  if (config.MEDIA_STORE === 'postgres') return createPostgresStore();
  if (config.MEDIA_S3_BUCKET === undefined) throw new Error('MEDIA_S3_BUCKET is required when MEDIA_STORE is s3');
  return createS3Store({ client: createS3Client(config), bucket: config.MEDIA_S3_BUCKET, prefix: config.MEDIA_S3_PREFIX });
}

/** Reads archived blobs wherever they were kept: PostgreSQL always, S3 when it is configured. */
export interface BlobReader {
  readonly open: MediaStore['open'];
  readonly close: () => void;
}

/**
 * A blob stays where it was kept when MEDIA_STORE changes later: PostgreSQL
 * blobs are always readable; S3 blobs need the S3 settings still in place.
 */
export function createBlobReader(config: MediaStoreConfig): BlobReader {
  const postgres = createPostgresStore();
  const s3 = config.MEDIA_STORE === 's3' ? createMediaStore(config) : undefined;
  return {
    open: (blob, bytes) => {
      if (blob.storage === 'postgres') return postgres.open(blob, bytes);
      if (s3 === undefined) return Promise.reject(new Error(`media_blob ${blob.sha256} is in S3, and MEDIA_STORE is not s3`));
      return s3.open(blob, bytes);
    },
    close: () => s3?.close(),
  };
}
