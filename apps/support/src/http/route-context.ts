import type { ConfiguredApp } from '@wxcs/wechat';
import type { WechatApp } from '@wxcs/wechat-api';
import type { RequestHandler, Response } from 'express';
import { ApiError } from './api-error.js';
import { openidOf, type SupportApps } from './support-apps.js';

/**
 * What the path names, resolved before a body is read: an unknown app is
 * 404 and an inbound-only one 409 whatever the body, and an upload is not
 * received for an app that cannot send it.
 */
interface RouteContext {
  readonly app: ConfiguredApp;
  /** Set for routes that talk to WeChat. */
  readonly wechatApp?: WechatApp;
  /** Set for routes under `/conversations/{openid}`. */
  readonly openid?: string;
}

function resolve(apps: SupportApps, replying: boolean): RequestHandler {
  return (req, res, next) => {
    const name = String(req.params.app);
    const app = apps.byName(name);
    const context: RouteContext = {
      app,
      wechatApp: replying ? apps.replyingByName(name) : undefined,
      openid: req.params.openid === undefined ? undefined : openidOf(String(req.params.openid)),
    };
    res.locals.route = context;
    next();
  };
}

/** `{app}` (and `{openid}` when the route has it) for routes that read stored data. */
export const resolveApp = (apps: SupportApps) => resolve(apps, false);

/** `{app}` with its AppSecret (and `{openid}`), for routes that call WeChat or queue a send. */
export const resolveReplyingApp = (apps: SupportApps) => resolve(apps, true);

function context(res: Response): RouteContext {
  const found = res.locals.route as RouteContext | undefined;
  if (found === undefined) throw new Error('route context read before resolveApp');
  return found;
}

export const appOf = (res: Response): ConfiguredApp => context(res).app;

export function wechatAppOf(res: Response): WechatApp {
  const { wechatApp } = context(res);
  if (wechatApp === undefined) throw new Error('wechatAppOf on a route resolved without resolveReplyingApp');
  return wechatApp;
}

export function openidOfRoute(res: Response): string {
  const { openid } = context(res);
  if (openid === undefined) throw new Error('openidOfRoute on a route without {openid}');
  return openid;
}

/** JSON bodies only: anything else is 415 before it is parsed. */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (!req.is('application/json')) throw new ApiError(415, 'unsupported_media_type', { message: 'send Content-Type: application/json' });
  next();
};
