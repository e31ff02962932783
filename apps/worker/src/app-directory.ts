import type { WechatAppConfig } from '@wxcs/config';
import { parseEncodingAesKey, type AppCredentials, type MessageEncryption } from '@wxcs/wechat';

export interface AppEntry {
  readonly credentials: AppCredentials;
  /** The console's 消息加密方式: which callbacks this app accepts (see authenticateCallback). */
  readonly encryption: MessageEncryption;
}

/** Apps by name (`InboundCallback.app`), keys decoded once at start-up. */
export type AppDirectory = ReadonlyMap<string, AppEntry>;

export function createAppDirectory(apps: readonly WechatAppConfig[]): AppDirectory {
  return new Map(
    apps.map((app) => [
      app.name,
      {
        credentials: { token: app.token, aesKey: parseEncodingAesKey(app.encodingAesKey), appId: app.appId },
        encryption: app.messageEncryption,
      },
    ]),
  );
}
