import { MEDIA_ID_PATTERN } from '@wxcs/wechat';
import { MESSAGE_MEDIA_ID_SQL } from './archivable-media.js';
import type { Queryable } from './insert-messages.js';

export type MediaArchiveStatus = 'pending' | 'archived' | 'failed';

export interface MediaKey {
  readonly appId: string;
  readonly mediaId: string;
}

export interface MediaArchive extends MediaKey {
  readonly status: MediaArchiveStatus;
  readonly receivedAt: Date;
  readonly sha256: string | null;
  readonly reason: string | null;
  readonly errcode: number | null;
  readonly rid: string | null;
  readonly attempts: number;
  readonly archivedAt: Date | null;
  readonly failedAt: Date | null;
}

/** Where a blob's bytes are: in media_blob.bytes, or the object named by its hash in the S3 store. */
export type BlobStorage = 'postgres' | 's3';

export interface MediaBlob {
  readonly sha256: string;
  readonly contentType: string;
  readonly size: number;
  readonly storage: BlobStorage;
}

const ARCHIVE_FIELDS_SQL = `app_id AS "appId", media_id AS "mediaId", status, received_at AS "receivedAt", sha256, reason,
  errcode, rid, attempts, archived_at AS "archivedAt", failed_at AS "failedAt"`;

export async function findMediaArchive(prisma: Queryable, key: MediaKey): Promise<MediaArchive | undefined> {
  const [row] = await prisma.$queryRawUnsafe<MediaArchive[]>(
    `SELECT ${ARCHIVE_FIELDS_SQL} FROM media_archive WHERE app_id = $1 AND media_id = $2`,
    key.appId,
    key.mediaId,
  );
  return row;
}

/**
 * Stores the blob (once per hash: a second image with the same bytes finds
 * it there) and marks the archive archived, in one statement. `bytes` is
 * the content for the PostgreSQL store, null when it is in S3. An archive
 * that is no longer pending is left as it is: the first outcome stands.
 */
export async function recordArchived(
  prisma: Queryable,
  input: MediaKey & { readonly blob: MediaBlob; readonly bytes: Uint8Array | null },
): Promise<MediaArchive | undefined> {
  const { blob } = input;
  const [row] = await prisma.$queryRawUnsafe<MediaArchive[]>(
    `WITH blob AS (
       INSERT INTO media_blob (sha256, content_type, size, storage, bytes) VALUES ($3, $4, $5::integer, $6, $7)
       ON CONFLICT (sha256) DO NOTHING
     )
     UPDATE media_archive SET status = 'archived', sha256 = $3, reason = NULL, errcode = NULL, rid = NULL,
       attempts = attempts + 1, archived_at = now()
     WHERE app_id = $1 AND media_id = $2 AND status = 'pending'
     RETURNING ${ARCHIVE_FIELDS_SQL}`,
    input.appId,
    input.mediaId,
    blob.sha256,
    blob.contentType,
    blob.size,
    blob.storage,
    input.bytes,
  );
  return row;
}

export interface ArchiveFailure {
  /** Ours: `wechat_error`, `not_an_image`, `too_large`, … */
  readonly reason: string;
  readonly errcode?: number | undefined;
  readonly rid?: string | undefined;
}

/** Ends a pending archive as failed; one that is no longer pending is left as it is. */
export async function recordArchiveFailed(prisma: Queryable, input: MediaKey & ArchiveFailure): Promise<MediaArchive | undefined> {
  const [row] = await prisma.$queryRawUnsafe<MediaArchive[]>(
    `UPDATE media_archive SET status = 'failed', reason = $3, errcode = $4::integer, rid = $5, attempts = attempts + 1, failed_at = now()
     WHERE app_id = $1 AND media_id = $2 AND status = 'pending'
     RETURNING ${ARCHIVE_FIELDS_SQL}`,
    input.appId,
    input.mediaId,
    input.reason,
    input.errcode ?? null,
    input.rid ?? null,
  );
  return row;
}

/** Counts an attempt that will be retried and says why it failed, so a stuck archive shows its cause. */
export async function recordArchiveAttempt(prisma: Queryable, input: MediaKey & ArchiveFailure): Promise<void> {
  await prisma.$queryRawUnsafe(
    `UPDATE media_archive SET reason = $3, errcode = $4::integer, rid = $5, attempts = attempts + 1
     WHERE app_id = $1 AND media_id = $2 AND status = 'pending'`,
    input.appId,
    input.mediaId,
    input.reason,
    input.errcode ?? null,
    input.rid ?? null,
  );
}

/** Per app, WeChat's time of the oldest image not archived yet: operators alert on its age long before 3 days. */
export async function oldestPendingArchives(prisma: Queryable): Promise<Map<string, Date>> {
  const rows = await prisma.$queryRawUnsafe<{ appId: string; oldest: Date }[]>(
    `SELECT app_id AS "appId", min(received_at) AS oldest FROM media_archive WHERE status = 'pending' GROUP BY app_id`,
  );
  return new Map(rows.map((row) => [row.appId, row.oldest]));
}

export interface ArchivedMedia {
  readonly archive: MediaArchive;
  /** Present once archived. */
  readonly blob: (MediaBlob & { readonly bytes: Uint8Array | null }) | undefined;
}

/** An archive and, once archived, its blob (with the bytes when PostgreSQL holds them). */
export async function readArchivedMedia(prisma: Queryable, key: MediaKey): Promise<ArchivedMedia | undefined> {
  const archive = await findMediaArchive(prisma, key);
  if (archive?.sha256 == null) return archive && { archive, blob: undefined };
  const [blob] = await prisma.$queryRawUnsafe<(MediaBlob & { bytes: Uint8Array | null })[]>(
    `SELECT sha256, content_type AS "contentType", size, storage, bytes FROM media_blob WHERE sha256 = $1`,
    archive.sha256,
  );
  return { archive, blob };
}

/**
 * For the backfill: creates the missing archives of the images stored since
 * `since` (pending, or failed for an unusable id) and returns how many it
 * created. Archives that exist are left as they are.
 */
export async function createMissingArchives(prisma: Queryable, input: { readonly since: Date; readonly appIds: readonly string[] }): Promise<number> {
  const [row] = await prisma.$queryRawUnsafe<{ created: number }[]>(
    `WITH media AS (
       SELECT DISTINCT ON (app_id, media_id) app_id, media_id, msg_create_time AS received_at
       FROM (SELECT app_id, ${MESSAGE_MEDIA_ID_SQL} AS media_id, msg_create_time FROM customer_message
             WHERE msg_type IN ('image', 'miniprogrampage') AND msg_create_time >= $1::timestamptz
               AND app_id = ANY($2::text[]) AND delete_time IS NULL) AS found
       WHERE media_id IS NOT NULL AND media_id <> ''
       ORDER BY app_id, media_id, msg_create_time
     ),
     created AS (
       INSERT INTO media_archive (app_id, media_id, status, received_at, reason, failed_at)
       SELECT app_id, media_id, CASE WHEN media_id ~ $3 THEN 'pending' ELSE 'failed' END, received_at,
              CASE WHEN media_id ~ $3 THEN NULL ELSE 'invalid_media_id' END, CASE WHEN media_id ~ $3 THEN NULL ELSE now() END
       FROM media
       ON CONFLICT (app_id, media_id) DO NOTHING
       RETURNING 1
     )
     SELECT count(*)::integer AS created FROM created`,
    input.since,
    input.appIds,
    // isMediaId's pattern: the same text means the same in PostgreSQL's `~`.
    MEDIA_ID_PATTERN.source,
  );
  return row?.created ?? 0;
}

/** Pending archives received since `since`, in key order after `after`: the backfill's pages. */
export async function listPendingArchives(
  prisma: Queryable,
  input: { readonly since: Date; readonly appIds: readonly string[]; readonly after: MediaKey | undefined; readonly take: number },
): Promise<MediaKey[]> {
  return prisma.$queryRawUnsafe<MediaKey[]>(
    `SELECT app_id AS "appId", media_id AS "mediaId" FROM media_archive
     WHERE status = 'pending' AND received_at >= $1::timestamptz AND app_id = ANY($2::text[]) AND (app_id, media_id) > ($3, $4)
     ORDER BY app_id, media_id LIMIT $5`,
    input.since,
    input.appIds,
    input.after?.appId ?? '',
    input.after?.mediaId ?? '',
    input.take,
  );
}

/** Counts per status of the archives received since `since`: the backfill's progress. */
export async function countArchives(prisma: Queryable, input: { readonly since: Date; readonly appIds: readonly string[] }): Promise<Record<MediaArchiveStatus, number>> {
  const rows = await prisma.$queryRawUnsafe<{ status: MediaArchiveStatus; count: number }[]>(
    `SELECT status, count(*)::integer AS count FROM media_archive
     WHERE received_at >= $1::timestamptz AND app_id = ANY($2::text[]) GROUP BY status`,
    input.since,
    input.appIds,
  );
  const counts: Record<MediaArchiveStatus, number> = { pending: 0, archived: 0, failed: 0 };
  for (const row of rows) counts[row.status] = row.count;
  return counts;
}
