import type { AppDirectory, DirectoryApp } from '@wxcs/wechat';
import { NotFoundError } from './errors.js';

/** The app a callback URL names (`undefined`: plain `/wechat`), or 404. */
export function resolveApp(apps: AppDirectory, name: string | undefined): DirectoryApp {
  const app = name === undefined ? apps.defaultApp : apps.byName(name);
  if (app) return app;
  throw new NotFoundError(name === undefined ? 'no default app, use /wechat/<app>' : 'unknown app');
}
