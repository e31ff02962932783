import type { ConfiguredApp } from '@wxcs/wechat';
import type { WechatApp } from '@wxcs/wechat-api';
import { ApiError, invalidField, notFound } from './api-error.js';

/** The configured mini programs as the API addresses them: by name in the path, by AppID in stored rows. */
export interface SupportApps {
  /** The app named in the path; 404 `unknown_app` otherwise. */
  readonly byName: (name: string) => ConfiguredApp;
  /** The app named in the path, with its AppSecret; 409 `app_inbound_only` for an app configured without one. */
  readonly replyingByName: (name: string) => WechatApp;
  /** The name of the app with this AppID, for stored rows; undefined when no configured app has it. */
  readonly nameOf: (appId: string) => string | undefined;
  readonly all: readonly ConfiguredApp[];
}

export function createSupportApps(apps: readonly ConfiguredApp[]): SupportApps {
  const byName = new Map(apps.map((app) => [app.name, app]));
  const nameByAppId = new Map<string, string>();
  for (const app of apps) if (!nameByAppId.has(app.appId)) nameByAppId.set(app.appId, app.name);
  const find = (name: string): ConfiguredApp => {
    const app = byName.get(name);
    if (app === undefined) throw notFound('unknown_app');
    return app;
  };
  return {
    byName: find,
    replyingByName: (name) => {
      const app = find(name);
      // Without its AppSecret nobody can get a token for the app: it only receives.
      if (app.appSecret === undefined) throw new ApiError(409, 'app_inbound_only');
      return { name: app.name, appId: app.appId, appSecret: app.appSecret };
    },
    nameOf: (appId) => nameByAppId.get(appId),
    all: apps,
  };
}

// WeChat's openids are 28 characters of these; the bound leaves room for other id formats.
const OPENID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The `{openid}` path parameter, checked before it reaches SQL or WeChat. */
export function openidOf(raw: string): string {
  if (!OPENID_PATTERN.test(raw)) throw invalidField('invalid_path', 'openid', 'must be 1-64 letters, digits, _ or -');
  return raw;
}
