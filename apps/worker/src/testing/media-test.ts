import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findMediaArchive, readArchivedMedia, type MediaArchive, type Queryable } from '@wxcs/db';
import { createPostgresStore } from '@wxcs/media';
import { sampleMessage } from '@wxcs/wechat/testing';
import type { WechatFields } from '@wxcs/wechat';
import { waitFor } from '@wxcs/testkit';
import { SENDING_APP } from './outbound-test.js';

export const MEDIA_GET_PATH = '/cgi-bin/media/get';

let sequence = 0;

/** An image message from a user, carrying `mediaId`; its PicUrl points wherever the test says (it must never be fetched). */
export function imageMessage(mediaId: string, picUrl: string): WechatFields {
  sequence += 1;
  return { ...sampleMessage('image'), MediaId: mediaId, PicUrl: picUrl, MsgId: (2n ** 61n + BigInt(Date.now()) * 1000n + BigInt(sequence)).toString() };
}

/** Waits until the image's archive is no longer pending, and returns it. */
export function waitForArchiveEnded(prisma: Queryable, mediaId: string, timeoutMs = 20_000, appId = SENDING_APP.appId): Promise<MediaArchive> {
  return waitFor(
    `archive of ${mediaId} to end`,
    async () => {
      const archive = await findMediaArchive(prisma, { appId, mediaId });
      return archive?.status === 'pending' ? undefined : archive;
    },
    { timeoutMs },
  );
}

/** The archived bytes, as the PostgreSQL store keeps them. */
export async function archivedBytes(prisma: Queryable, mediaId: string): Promise<Buffer> {
  const found = await readArchivedMedia(prisma, { appId: SENDING_APP.appId, mediaId });
  if (found?.blob === undefined) throw new Error(`${mediaId} is not archived`);
  const chunks: Buffer[] = [];
  for await (const chunk of await createPostgresStore().open(found.blob, found.blob.bytes)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** An HTTP server that counts the requests it gets: the PicUrl of test images, which nothing may fetch. */
export async function startPicUrlTrap(): Promise<{ readonly url: string; readonly hits: () => number; readonly close: () => Promise<void> }> {
  let hits = 0;
  const server = createServer((_request, response) => {
    hits += 1;
    response.writeHead(200, { 'content-type': 'image/jpeg' }).end('trap');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mmbiz_jpg/trap/0`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
