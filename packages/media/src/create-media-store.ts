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
