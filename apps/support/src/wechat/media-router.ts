import type { Logger } from '@wxcs/logger';
import type { WechatApiClient } from '@wxcs/wechat-api';
import { Router, type RequestHandler } from 'express';
import multer from 'multer';
import { ApiError } from '../http/api-error.js';
import { resolveReplyingApp, wechatAppOf } from '../http/route-context.js';
import type { SupportApps } from '../http/support-apps.js';
import { IMAGE_CONTENT_TYPES, sniffImage } from '@wxcs/media';
import { wechatFailure } from './wechat-failure.js';

/**
 * WeChat's page on temporary media gives 10 MB for images (another page
 * says 2 MB, a figure not found in WeChat's current docs; see the
 * wechat-api README). Above 10 MB WeChat refuses for certain, so the upload
 * is not received.
 */
export const IMAGE_LIMIT_BYTES = 10 * 1024 * 1024;

export interface MediaRouterDeps {
  readonly apps: SupportApps;
  readonly wechat: Pick<WechatApiClient, 'uploadImage'>;
  readonly logger: Logger;
}

const requireMultipart: RequestHandler = (req, _res, next) => {
  if (!req.is('multipart/form-data')) throw new ApiError(415, 'unsupported_media_type', { message: 'send multipart/form-data with one file "media"' });
  next();
};

/**
 * `POST /apps/{app}/media`: one image in the multipart field `media` (as
 * WeChat's own upload names it), held in memory up to the limit, checked by
 * its bytes, and uploaded as temporary media, valid three days, for an image
 * reply's `media_id` or a card's `thumb_media_id`.
 */
export function createMediaRouter(deps: MediaRouterDeps): Router {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: IMAGE_LIMIT_BYTES, files: 1, fields: 0, parts: 1, headerPairs: 20 },
    // The declared type is checked before the bytes arrive; the bytes are checked after.
    fileFilter: (_req, file, accept) => {
      if (IMAGE_CONTENT_TYPES.has(file.mimetype)) accept(null, true);
      else accept(new ApiError(415, 'unsupported_media_type', { message: 'the image must be PNG, JPEG or GIF' }));
    },
  });
  const router = Router();
  router.post('/apps/:app/media', resolveReplyingApp(deps.apps), requireMultipart, upload.single('media'), async (req, res) => {
    const file = req.file;
    if (file === undefined) throw new ApiError(400, 'invalid_body', { field: 'media', message: 'send one file in the field "media"' });
    const image = sniffImage(file.buffer);
    if (image === undefined) throw new ApiError(415, 'unsupported_media_type', { message: 'the file is not a PNG, JPEG or GIF image' });
    const app = wechatAppOf(res);
    try {
      // Our own name: the client's file name is not passed on to WeChat.
      const uploaded = await deps.wechat.uploadImage(app, { bytes: file.buffer, filename: `reply.${image.extension}`, contentType: image.type });
      res.json({ media_id: uploaded.mediaId, created_at: uploaded.createdAt });
    } catch (error) {
      wechatFailure(error, { logger: deps.logger, app: app.name });
    }
  });
  return router;
}
