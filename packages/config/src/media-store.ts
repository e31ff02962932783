import { z } from 'zod';
import { envBoolean, envInt } from './env-types.js';
import { isPublishedCredential, PUBLISHED_PROBLEM } from './published-credentials.js';
import { isTlsOrLoopback } from './transport.js';

/** Where archived images go (worker) and are read from (support API). */
export const mediaEnv = z.object({
  // postgres: nothing more to run. s3: any S3-compatible store (AWS, Tencent COS, Alibaba OSS, MinIO).
  MEDIA_STORE: z.enum(['postgres', 's3']).default('postgres'),
  // WeChat's temporary-media page gives 10 MB for images; anything larger is refused, not archived.
  MEDIA_MAX_BYTES: envInt(1_024, 100 * 1024 * 1024).default(10 * 1024 * 1024),
  MEDIA_S3_BUCKET: z.string().min(3).max(63).optional(),
  MEDIA_S3_REGION: z.string().regex(/^[a-z0-9-]{1,40}$/, { message: 'must be a region name such as ap-shanghai or us-east-1' }).default('us-east-1'),
  // COS, OSS or MinIO's endpoint; unset: AWS's own for the region.
  MEDIA_S3_ENDPOINT: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
  // MinIO and most self-hosted stores want path-style URLs (endpoint/bucket/key).
  MEDIA_S3_FORCE_PATH_STYLE: envBoolean.default(false),
  // Unset: the AWS SDK's own chain (instance role, AWS_* variables, …).
  MEDIA_S3_ACCESS_KEY_ID: z.string().regex(/^[A-Za-z0-9+/=._-]{3,128}$/, { message: 'must be an access key id (letters, digits, + / = . _ -)' }).optional(),
  MEDIA_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  // Objects are `<prefix>sha256/<hash>`; uploads in progress `<prefix>incoming/…`.
  MEDIA_S3_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9_.-]+\/)*$/, { message: 'must be empty or end with "/" (letters, digits, _ . -)' })
    .default(''),
});

export type MediaStoreConfig = z.output<typeof mediaEnv>;

// Values printed in S3 servers' own quick-start pages (MinIO, s3rver, LocalStack).
const EXAMPLE_S3_SECRETS: ReadonlySet<string> = new Set(['minioadmin', 'S3RVER', 'test', 'password']);

export function mediaStoreProblems(media: MediaStoreConfig | undefined, production: boolean): string[] {
  if (!media || media.MEDIA_STORE !== 's3') return [];
  const problems: string[] = [];
  if (media.MEDIA_S3_BUCKET === undefined) problems.push('MEDIA_S3_BUCKET: required when MEDIA_STORE is s3');
  if ((media.MEDIA_S3_ACCESS_KEY_ID === undefined) !== (media.MEDIA_S3_SECRET_ACCESS_KEY === undefined)) {
    problems.push('MEDIA_S3_SECRET_ACCESS_KEY: set both MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY, or neither (the AWS SDK finds its own)');
  }
  if (!production) return problems;
  const secret = media.MEDIA_S3_SECRET_ACCESS_KEY;
  if (secret !== undefined && (EXAMPLE_S3_SECRETS.has(secret) || isPublishedCredential(secret))) {
    problems.push(`MEDIA_S3_SECRET_ACCESS_KEY: ${PUBLISHED_PROBLEM}`);
  }
  if (media.MEDIA_S3_ENDPOINT !== undefined && !isTlsOrLoopback(new URL(media.MEDIA_S3_ENDPOINT))) {
    problems.push('MEDIA_S3_ENDPOINT: must be https in production (or http on 127.0.0.1): requests carry signed credentials and users\' images');
  }
  return problems;
}
