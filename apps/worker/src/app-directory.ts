import { acceptsPlaintext, type WechatAppConfig } from '@wxcs/config';
import { parseEncodingAesKey, type AppCredentials } from '@wxcs/wechat';

export interface AppEntry {
  readonly credentials: AppCredentials;
  /** Only apps configured for plaintext mode may have unencrypted callbacks stored. */
  readonly acceptsPlaintext: boolean;
}

/** Apps by name (`InboundCallback.app`), keys decoded once at start-up. */
export type AppDirectory = ReadonlyMap<string, AppEntry>;

export function createAppDirectory(apps: readonly WechatAppConfig[]): AppDirectory {
  return new Map(
    apps.map((app) => [
      app.name,
      {
        credentials: { token: app.token, aesKey: parseEncodingAesKey(app.encodingAesKey), appId: app.appId },
        acceptsPlaintext: acceptsPlaintext(app),
      },
    ]),
  );
}
