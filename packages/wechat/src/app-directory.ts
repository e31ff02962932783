import { parseEncodingAesKey } from './aes-key.js';
import type { MessageEncryption } from './authenticate-callback.js';
import type { AppCredentials } from './open-callback.js';

/** One mini program as an operator configures it (WECHAT_APPS). */
export interface ConfiguredApp {
  /** Routing name: `/wechat/<name>`, and `InboundCallback.app`. */
  readonly name: string;
  readonly token: string;
  readonly encodingAesKey: string;
  readonly appId: string;
  /**
   * The console's 消息加密方式. In plaintext mode WeChat's signature does not
   * cover the body, so anyone who saw one callback URL could post any body
   * with it: unless the app really runs in plaintext mode, unencrypted
   * callbacks are refused.
   */
  readonly messageEncryption: MessageEncryption;
  /** Answer user messages with `transfer_customer_service` instead of `success`. */
  readonly transferToCustomerService: boolean;
  /**
   * The AppSecret, for WeChat's server API (replies, typing, media). Without
   * it the app is inbound-only: messages are stored, nobody can answer them.
   */
  readonly appSecret?: string;
}

/** A configured app, ready for the protocol: its AES key decoded once, at start-up. */
export interface DirectoryApp {
  readonly name: string;
  readonly credentials: AppCredentials;
  /** The console's mode: which callbacks may be accepted (see authenticateCallback). */
  readonly encryption: MessageEncryption;
  readonly transferToCustomerService: boolean;
}

/** Every configured app by name, for the receiver and the worker alike. */
export interface AppDirectory {
  readonly byName: (name: string) => DirectoryApp | undefined;
  /** Plain `/wechat`: the app named `default`, else the only app configured, else none. */
  readonly defaultApp: DirectoryApp | undefined;
  readonly names: readonly string[];
}

export const DEFAULT_APP_NAME = 'default';

export function appCredentials(app: Pick<ConfiguredApp, 'token' | 'encodingAesKey' | 'appId'>): AppCredentials {
  return { token: app.token, aesKey: parseEncodingAesKey(app.encodingAesKey), appId: app.appId };
}

export function createAppDirectory(apps: readonly ConfiguredApp[]): AppDirectory {
  const byName = new Map<string, DirectoryApp>(
    apps.map((app) => [
      app.name,
      { name: app.name, credentials: appCredentials(app), encryption: app.messageEncryption, transferToCustomerService: app.transferToCustomerService },
    ]),
  );
  const only = byName.size === 1 ? [...byName.values()][0] : undefined;
  return {
    byName: (name) => byName.get(name),
    defaultApp: byName.get(DEFAULT_APP_NAME) ?? only,
    names: [...byName.keys()],
  };
}
