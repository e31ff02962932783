import type { MediaArchiveStatus, Queryable } from '@wxcs/db';

/** Whether a user's image is archived, and what it is; `reason` and `errcode` say why not. */
export interface ArchiveView {
  readonly status: MediaArchiveStatus;
  readonly errcode: number | null;
  readonly reason: string | null;
  readonly contentType: string | null;
  readonly size: number | null;
  readonly sha256: string | null;
}

/** The media id a user's message carries an image under: an image's media_id, a card's thumb_media_id. */
export function archivedMediaIdOf(message: { readonly direction: string; readonly type: string; readonly content: Readonly<Record<string, unknown>> }): string | undefined {
  if (message.direction !== 'inbound') return undefined;
  const field = message.type === 'image' ? 'media_id' : message.type === 'miniprogrampage' ? 'thumb_media_id' : undefined;
  const value = field === undefined ? undefined : message.content[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The archives of a page's images, by media id: one query per page. */
export async function findArchives(prisma: Queryable, appId: string, mediaIds: readonly string[]): Promise<ReadonlyMap<string, ArchiveView>> {
  if (mediaIds.length === 0) return new Map();
  const rows = await prisma.$queryRawUnsafe<(ArchiveView & { mediaId: string })[]>(
    `SELECT a.media_id AS "mediaId", a.status, a.errcode, a.reason, b.content_type AS "contentType", b.size, a.sha256
     FROM media_archive a LEFT JOIN media_blob b ON b.sha256 = a.sha256
     WHERE a.app_id = $1 AND a.media_id = ANY($2::text[])`,
    appId,
    [...new Set(mediaIds)],
  );
  return new Map(rows.map(({ mediaId, ...view }) => [mediaId, view]));
}

/**
 * Each message with `archive`: its image's archive, or null for a message
 * without one. An image whose message predates the archive shows as pending
 * until the backfill has run.
 */
export async function withArchives<Message extends { readonly direction: string; readonly type: string; readonly content: Readonly<Record<string, unknown>> }>(
  prisma: Queryable,
  appId: string,
  messages: readonly Message[],
): Promise<(Message & { readonly archive: ArchiveView | null })[]> {
  const ids = messages.flatMap((message) => archivedMediaIdOf(message) ?? []);
  const archives = await findArchives(prisma, appId, ids);
  const missing: ArchiveView = { status: 'pending', errcode: null, reason: null, contentType: null, size: null, sha256: null };
  return messages.map((message) => {
    const mediaId = archivedMediaIdOf(message);
    return { ...message, archive: mediaId === undefined ? null : (archives.get(mediaId) ?? missing) };
  });
}
