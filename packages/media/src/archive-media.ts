import { findMediaArchive, recordArchived, type MediaArchive, type Queryable } from '@wxcs/db';
import type { MediaDownload } from '@wxcs/wechat-api';
import { checkImage } from './checked-image.js';
import type { MediaStore } from './media-store.js';

export interface ArchiveDeps {
  readonly prisma: Queryable;
  readonly store: MediaStore;
  /** WeChat's media/get for the archive's app, token handled: `wechat.downloadMedia(app, mediaId)`. */
  readonly download: (mediaId: string) => Promise<MediaDownload>;
  readonly maxBytes: number;
}

export type ArchiveResult =
  | { readonly outcome: 'archived'; readonly archive: MediaArchive }
  /** Archived or failed before: nothing was fetched. */
  | { readonly outcome: 'already-ended'; readonly archive: MediaArchive }
  | { readonly outcome: 'no-archive' };

/**
 * Fetches one pending image from WeChat (its authenticated API, never a URL
 * from the payload), checks it is an image within the limit, keeps it under
 * its hash and marks the archive archived. Only a pending archive is
 * fetched, so a repeated job or a replay fetches nothing more. Failures are
 * thrown as they come (WechatApiError, MediaRefusedError, the store's or the
 * database's errors): the caller decides what they mean for the archive.
 */
export async function archiveMedia(deps: ArchiveDeps, key: { readonly appId: string; readonly mediaId: string }): Promise<ArchiveResult> {
  const archive = await findMediaArchive(deps.prisma, key);
  if (archive === undefined) return { outcome: 'no-archive' };
  if (archive.status !== 'pending') return { outcome: 'already-ended', archive };
  const image = await checkImage(await deps.download(key.mediaId), deps.maxBytes);
  const kept = await deps.store.keep(image, `${key.appId}/${key.mediaId}`).catch((error: unknown) => {
    throw image.refusal() ?? error;
  });
  const { sha256, size } = image.digest();
  const archived = await recordArchived(deps.prisma, {
    ...key,
    blob: { sha256, size, contentType: image.contentType, storage: deps.store.storage },
    bytes: kept.bytes,
  });
  if (archived !== undefined) return { outcome: 'archived', archive: archived };
  // Another attempt ended it meanwhile; its outcome stands.
  const current = await findMediaArchive(deps.prisma, key);
  return current === undefined ? { outcome: 'no-archive' } : { outcome: 'already-ended', archive: current };
}
