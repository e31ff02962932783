import type { ConfiguredApp } from '@wxcs/wechat';
import type { WechatApp } from '@wxcs/wechat-api';

/** A configured app as the outbound side sees it: able to send (it has an AppSecret), or inbound-only. */
export type SendingApp = { readonly canSend: true; readonly app: WechatApp } | { readonly canSend: false; readonly name: string; readonly appId: string };

export interface SendingApps {
  readonly byName: (name: string) => SendingApp | undefined;
  /** The app a reply row belongs to, by AppID; only apps that can send. */
  readonly byAppId: (appId: string) => WechatApp | undefined;
  /** Every configured name, for bounded metric labels. */
  readonly names: readonly string[];
  /** Configured without an AppSecret: their messages are stored, their replies fail. */
  readonly inboundOnly: readonly string[];
}

export function createSendingApps(apps: readonly ConfiguredApp[]): SendingApps {
  const byName = new Map<string, SendingApp>(
    apps.map((app): [string, SendingApp] => [
      app.name,
      app.appSecret === undefined
        ? { canSend: false, name: app.name, appId: app.appId }
        : { canSend: true, app: { name: app.name, appId: app.appId, appSecret: app.appSecret } },
    ]),
  );
  const byAppId = new Map<string, WechatApp>();
  for (const entry of byName.values()) {
    // Two names for one AppID send alike; the first one names its replies' jobs.
    if (entry.canSend && !byAppId.has(entry.app.appId)) byAppId.set(entry.app.appId, entry.app);
  }
  return {
    byName: (name) => byName.get(name),
    byAppId: (appId) => byAppId.get(appId),
    names: [...byName.keys()],
    inboundOnly: [...byName.values()].flatMap((entry) => (entry.canSend ? [] : [entry.name])),
  };
}
