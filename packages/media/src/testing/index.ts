import type { MediaStoreConfig } from '@wxcs/config';
import type { ThrowawayS3 } from '@wxcs/testkit';

/** The media settings of an S3 store on the testkit's S3 server, as MEDIA_* would give them. */
export function throwawayS3Config(s3: ThrowawayS3, prefix = ''): MediaStoreConfig {
  return {
    MEDIA_STORE: 's3',
    MEDIA_MAX_BYTES: 10 * 1024 * 1024,
    MEDIA_S3_BUCKET: s3.bucket,
    MEDIA_S3_REGION: 'us-east-1',
    MEDIA_S3_ENDPOINT: s3.endpoint,
    MEDIA_S3_FORCE_PATH_STYLE: true,
    MEDIA_S3_ACCESS_KEY_ID: s3.accessKeyId,
    MEDIA_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    MEDIA_S3_PREFIX: prefix,
  };
}

/** The same settings as the environment variables an app is started with. */
export function throwawayS3Env(s3: ThrowawayS3): Record<string, string> {
  return {
    MEDIA_STORE: 's3',
    MEDIA_S3_BUCKET: s3.bucket,
    MEDIA_S3_ENDPOINT: s3.endpoint,
    MEDIA_S3_FORCE_PATH_STYLE: 'true',
    MEDIA_S3_ACCESS_KEY_ID: s3.accessKeyId,
    MEDIA_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
  };
}
