import { isMediaId } from '@wxcs/wechat';
import type { NewCustomerMessage } from './customer-message.js';

/** Which field of msg_info names a file WeChat keeps for 3 days, per message type. */
const MEDIA_FIELD: Readonly<Record<string, string>> = { image: 'media_id', miniprogrampage: 'thumb_media_id' };

export interface ArchivableMedia {
  readonly appId: string;
  readonly mediaId: string;
  /** WeChat's time of the message: the 3 days count from it. */
  readonly receivedAt: Date;
  /** False when the id cannot be asked for: the archive is created failed. */
  readonly usable: boolean;
}

/** The image a stored message carries, if any: an image message's MediaId, a card's ThumbMediaId. */
export function archivableMediaOf(row: Pick<NewCustomerMessage, 'appId' | 'msgType' | 'msgInfo' | 'msgCreateTime'>): ArchivableMedia | undefined {
  const field = MEDIA_FIELD[row.msgType];
  const mediaId = field === undefined ? undefined : row.msgInfo[field];
  if (mediaId === undefined || mediaId === '') return undefined;
  return { appId: row.appId, mediaId, receivedAt: row.msgCreateTime, usable: isMediaId(mediaId) };
}

/** msg_info's media field per type, as SQL over customer_message: for backfill and the API's join. */
export const MESSAGE_MEDIA_ID_SQL = `CASE msg_type WHEN 'image' THEN msg_info->>'media_id' WHEN 'miniprogrampage' THEN msg_info->>'thumb_media_id' END`;

/** The archives a batch's messages need, as JSON bytes (parameter $3 of the insert). */
export function archivableMediaJson(rows: readonly NewCustomerMessage[]): Buffer {
  const media = [];
  for (const row of rows) {
    const found = archivableMediaOf(row);
    if (found) media.push([row.appId, row.dedupKey, found.mediaId, found.receivedAt.toISOString(), found.usable ? 'pending' : 'failed']);
  }
  return Buffer.from(JSON.stringify(media), 'utf8');
}

/**
 * With a relation `inserted` (app_id, dedup_key) of the messages a statement
 * just stored and archivableMediaJson as $3: creates their archives, pending
 * (or failed for an unusable id), in the insert's own statement, so a stored
 * image always has its archive row and the age of the oldest one pending is
 * known to the database. A media id seen before keeps its row.
 */
export const CREATE_INSERTED_ARCHIVES_SQL = `
  media AS (
    SELECT x->>0 AS app_id, x->>1 AS dedup_key, x->>2 AS media_id, (x->>3)::timestamptz AS received_at, x->>4 AS status
    FROM jsonb_array_elements(convert_from($3, 'UTF8')::jsonb) AS x
  ),
  archives AS (
    INSERT INTO media_archive (app_id, media_id, status, received_at, reason, failed_at)
    SELECT media.app_id, media.media_id, media.status, media.received_at,
           CASE media.status WHEN 'failed' THEN 'invalid_media_id' END, CASE media.status WHEN 'failed' THEN now() END
    FROM media JOIN inserted ON inserted.app_id = media.app_id AND inserted.dedup_key = media.dedup_key
    ORDER BY media.app_id, media.media_id
    ON CONFLICT (app_id, media_id) DO NOTHING
  )`;
