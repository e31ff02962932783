import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { MediaStore } from './media-store.js';

export interface S3StoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Empty or ending in "/": every key of the archive starts with it. */
  readonly prefix: string;
}

const isNotFound = (error: unknown) =>
  error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404);

/**
 * Images in an S3-compatible bucket, one object per hash:
 * `<prefix>sha256/<hex>`. The bytes stream from WeChat to the store: they
 * are uploaded under a scratch key of the archive (`<prefix>incoming/…`,
 * the same on a rerun, so a crash leaves at most one per image, overwritten
 * by the next attempt), copied to their hash's key unless that object is
 * already there, and the scratch object is deleted.
 */
export function createS3Store(options: S3StoreOptions): MediaStore {
  const { client, bucket, prefix } = options;
  const blobKey = (sha256: string) => `${prefix}sha256/${sha256}`;
  const scratchKey = (scratch: string) => `${prefix}incoming/${createHash('sha256').update(scratch).digest('hex')}`;

  async function exists(key: string): Promise<boolean> {
    try {
      await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  return {
    storage: 's3',
    keep: async (image, scratch) => {
      const key = scratchKey(scratch);
      const body = Readable.from(image.body);
      if (image.declaredLength === undefined) {
        // Without a length the SDK sends parts of at least 5 MB, each held in memory.
        await new Upload({ client, params: { Bucket: bucket, Key: key, Body: body, ContentType: image.contentType } }).done();
      } else {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: image.declaredLength, ContentType: image.contentType }));
      }
      const { sha256 } = image.digest();
      const target = blobKey(sha256);
      if (!(await exists(target))) {
        await client.send(new CopyObjectCommand({ Bucket: bucket, Key: target, CopySource: `${bucket}/${key}`, ContentType: image.contentType, MetadataDirective: 'REPLACE' }));
      }
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      return { bytes: null };
    },
    open: async (blob) => {
      const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: blobKey(blob.sha256) }));
      if (!(answer.Body instanceof Readable)) throw new Error(`the object of ${blob.sha256} has no body`);
      return answer.Body;
    },
    close: () => client.destroy(),
  };
}
