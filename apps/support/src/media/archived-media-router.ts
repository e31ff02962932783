import { pipeline } from 'node:stream/promises';
import { readArchivedMedia, type Queryable } from '@wxcs/db';
import type { Logger } from '@wxcs/logger';
import type { BlobReader } from '@wxcs/media';
import { isMediaId } from '@wxcs/wechat';
import { Router } from 'express';
import { ApiError } from '../http/api-error.js';
import { appOf, resolveApp } from '../http/route-context.js';
import type { SupportApps } from '../http/support-apps.js';

export interface ArchivedMediaRouterDeps {
  readonly apps: SupportApps;
  readonly prisma: Queryable;
  readonly blobs: Pick<BlobReader, 'open'>;
  readonly logger: Logger;
}

/** An archived image never changes (its ETag is its hash); only the signed-in browser may keep it. */
const CACHE_CONTROL = 'private, max-age=31536000, immutable';

/**
 * `GET /apps/{app}/media/{mediaId}`: an image a user sent, from the archive,
 * with its type, its SHA-256 as ETag, and a cache lifetime of a year for
 * the requesting browser alone. 404 `media_not_archived` (with the status
 * and reason) while it is pending or when it failed.
 */
export function createArchivedMediaRouter(deps: ArchivedMediaRouterDeps): Router {
  const router = Router();
  router.get('/apps/:app/media/:mediaId', resolveApp(deps.apps), async (req, res) => {
    const mediaId = String(req.params.mediaId);
    if (!isMediaId(mediaId)) throw new ApiError(404, 'not_found');
    const found = await readArchivedMedia(deps.prisma, { appId: appOf(res).appId, mediaId });
    if (found === undefined) throw new ApiError(404, 'not_found');
    const { archive, blob } = found;
    if (archive.status !== 'archived' || blob === undefined) {
      throw new ApiError(404, 'media_not_archived', { status: archive.status, reason: archive.reason, errcode: archive.errcode });
    }
    const etag = `"${blob.sha256}"`;
    res.set({ 'Cache-Control': CACHE_CONTROL, ETag: etag, Vary: 'Cookie, Authorization' });
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    const body = await deps.blobs.open(blob, blob.bytes);
    res.set({
      'Content-Type': blob.contentType,
      'Content-Length': String(blob.size),
      // Shown, never run: an image is all it can be.
      'Content-Security-Policy': "default-src 'none'; sandbox",
    });
    try {
      await pipeline(body, res);
    } catch (error) {
      // Headers are gone by now: the client sees a cut answer, the log says why.
      deps.logger.warn({ err: error, mediaId }, 'archived image not sent whole');
    }
  });
  return router;
}
