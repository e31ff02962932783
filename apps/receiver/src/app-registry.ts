import type { WechatAppConfig } from '@wxcs/config';
import { parseEncodingAesKey, type AppCredentials, type MessageEncryption } from '@wxcs/wechat';
import { NotFoundError } from './errors.js';

export interface RegisteredApp {
  readonly name: string;
  /** AES key decoded once at start-up, not per request. */
  readonly credentials: AppCredentials;
  readonly transferToCustomerService: boolean;
  /** The console's mode: decides which callbacks may be queued (see authenticateCallback). */
  readonly encryption: MessageEncryption;
}

export interface AppRegistry {
  /** `/wechat/:app`. */
  readonly byName: (name: string) => RegisteredApp | undefined;
  /** `/wechat`: the app named `default`, else the only app configured, else none. */
  readonly defaultApp: RegisteredApp | undefined;
  readonly names: readonly string[];
}

export const DEFAULT_APP_NAME = 'default';

export function createAppRegistry(apps: readonly WechatAppConfig[]): AppRegistry {
  const byName = new Map<string, RegisteredApp>();
  for (const app of apps) {
    byName.set(app.name, {
      name: app.name,
      credentials: { token: app.token, aesKey: parseEncodingAesKey(app.encodingAesKey), appId: app.appId },
      transferToCustomerService: app.transferToCustomerService,
      encryption: app.messageEncryption,
    });
  }
  const only = byName.size === 1 ? [...byName.values()][0] : undefined;
  return {
    byName: (name) => byName.get(name),
    defaultApp: byName.get(DEFAULT_APP_NAME) ?? only,
    names: [...byName.keys()],
  };
}

/** The app a callback URL names (`undefined`: plain `/wechat`), or 404. */
export function resolveApp(registry: AppRegistry, name: string | undefined): RegisteredApp {
  const app = name === undefined ? registry.defaultApp : registry.byName(name);
  if (app) return app;
  throw new NotFoundError(name === undefined ? 'no default app, use /wechat/<app>' : 'unknown app');
}
