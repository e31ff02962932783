import express, { Router, type RequestHandler } from 'express';
import type { AppRegistry, RegisteredApp } from '../app-registry.js';
import { NotFoundError, UnsupportedMediaTypeError } from '../errors.js';
import { normalizeQuery } from './callback-query.js';
import { createReceiveCallback, type ReceiveCallbackDeps } from './receive-callback.js';
import { sendText, type CallbackLocals } from './send-text.js';
import { verifyUrl } from './verify-callback.js';

export interface WechatRoutesDeps extends ReceiveCallbackDeps {
  readonly registry: AppRegistry;
  readonly bodyLimitBytes: number;
}

const PATHS = ['/wechat', '/wechat/:app'];

// Content-Type is not trusted (JSON has arrived as text/xml); only types that
// can never be a WeChat callback are refused, before the body is read.
const NEVER_A_CALLBACK = /^\s*(multipart\/|application\/x-www-form-urlencoded|image\/|audio\/|video\/|font\/)/i;

function resolveApp(registry: AppRegistry, name: string | undefined): RegisteredApp {
  const app = name === undefined ? registry.defaultApp : registry.byName(name);
  if (app) return app;
  throw new NotFoundError(name === undefined ? 'no default app, use /wechat/<app>' : 'unknown app');
}

/** GET (URL verification) and POST (callbacks) on `/wechat` and `/wechat/:app`. */
export function createWechatRouter(deps: WechatRoutesDeps): Router {
  const router = Router();

  const selectApp: RequestHandler<{ app?: string }> = (req, res, next) => {
    const locals = res.locals as CallbackLocals;
    locals.startedAt = performance.now();
    locals.app = resolveApp(deps.registry, req.params.app);
    locals.appName = locals.app.name;
    const contentType = req.headers['content-type'];
    if (req.method === 'POST' && contentType !== undefined && NEVER_A_CALLBACK.test(contentType)) {
      throw new UnsupportedMediaTypeError('unsupported content type');
    }
    next();
  };

  router.get(PATHS, selectApp, (req, res) => {
    const echostr = verifyUrl((res.locals as CallbackLocals).app.credentials.token, normalizeQuery(req.query));
    deps.metrics.countRequest('echo');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    sendText(res, 200, 'text/plain; charset=utf-8', echostr);
  });

  router.post(
    PATHS,
    selectApp,
    express.raw({ type: () => true, limit: deps.bodyLimitBytes, inflate: false }),
    createReceiveCallback(deps),
  );

  return router;
}
