// Every package that compiles the testkit from source must see s3rver's declaration, not only this one.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./s3rver.d.ts" />
import S3rver from 's3rver';
import { makeTempDir } from './temp-dir.js';

export interface ThrowawayS3 {
  /** http://127.0.0.1:<port>, for MEDIA_S3_ENDPOINT (path-style). */
  readonly endpoint: string;
  readonly bucket: string;
  /** s3rver accepts these and no others: its signature checks are real. */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly stop: () => Promise<void>;
}

/**
 * A real S3-protocol server (s3rver: objects as files under a throwaway
 * directory) with one bucket, on a free port of 127.0.0.1.
 */
export async function startThrowawayS3(options: { readonly bucket: string }): Promise<ThrowawayS3> {
  const dir = await makeTempDir('s3');
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir.path, configureBuckets: [{ name: options.bucket }] });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket: options.bucket,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    stop: async () => {
      await server.close();
      await dir.remove();
    },
  };
}
