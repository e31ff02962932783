import { Router } from 'express';
import type { SupportApps } from './support-apps.js';

/** `GET /apps`: the configured mini programs by name, and whether each can reply (has its AppSecret). */
export function createAppsRouter(apps: SupportApps): Router {
  const router = Router();
  router.get('/apps', (_req, res) => {
    res.json({ apps: apps.all.map((app) => ({ name: app.name, canReply: app.appSecret !== undefined })) });
  });
  return router;
}
