import { S3Client } from '@aws-sdk/client-s3';
import type { MediaStoreConfig } from '@wxcs/config';

/**
 * The AWS SDK's client for the configured store. Checksums only where S3
 * requires them: COS, OSS and older MinIO reject or mishandle the SDK's
 * default CRC trailers on uploads; the archive checks SHA-256 itself.
 */
export function createS3Client(config: MediaStoreConfig): S3Client {
  const credentials =
    config.MEDIA_S3_ACCESS_KEY_ID !== undefined && config.MEDIA_S3_SECRET_ACCESS_KEY !== undefined
      ? { accessKeyId: config.MEDIA_S3_ACCESS_KEY_ID, secretAccessKey: config.MEDIA_S3_SECRET_ACCESS_KEY }
      : undefined;
  return new S3Client({
    region: config.MEDIA_S3_REGION,
    ...(config.MEDIA_S3_ENDPOINT === undefined ? {} : { endpoint: config.MEDIA_S3_ENDPOINT }),
    forcePathStyle: config.MEDIA_S3_FORCE_PATH_STYLE,
    ...(credentials === undefined ? {} : { credentials }),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
