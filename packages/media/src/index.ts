export { archiveMedia, type ArchiveDeps, type ArchiveResult } from './archive-media.js';
export { checkImage, MediaRefusedError, type CheckedImage, type RefusalReason } from './checked-image.js';
export { IMAGE_CONTENT_TYPES, sniffImage } from './image-type.js';
export type { KeptImage, MediaStore } from './media-store.js';
export { createPostgresStore } from './postgres-store.js';
export { createS3Client } from './s3-client.js';
export { createS3Store, type S3StoreOptions } from './s3-store.js';
export { createBlobReader, createMediaStore, type BlobReader } from './create-media-store.js';
