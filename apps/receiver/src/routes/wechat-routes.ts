import { Router, type RequestHandler } from 'express';
import { resolveApp, type AppRegistry } from '../app-registry.js';
import { requestFacts } from '../http/request-log.js';
import { sendText } from '../http/send-text.js';
import type { ReceiverMetrics } from '../metrics.js';
import { normalizeQuery } from './callback-query.js';
import type { ReceiveCallback } from './receive-callback.js';
import { verifyUrl } from './verify-callback.js';

export interface WechatRoutesDeps {
  readonly registry: AppRegistry;
  readonly metrics: Pick<ReceiverMetrics, 'countRequest'>;
  readonly receiveCallback: ReceiveCallback;
}

const PATHS = ['/wechat', '/wechat/:app'];

/** GET (URL verification) and POST (callbacks) on `/wechat` and `/wechat/:app`. */
export function createWechatRouter(deps: WechatRoutesDeps): Router {
  const router = Router();

  const verifyEchostr: RequestHandler<{ app?: string }> = (req, res) => {
    const app = resolveApp(deps.registry, req.params.app);
    requestFacts(res).app = app.name;
    const echostr = verifyUrl(app.credentials.token, normalizeQuery(req.query));
    deps.metrics.countRequest('echo');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    sendText(res, 200, 'text/plain; charset=utf-8', echostr);
  };
  const receiveCallback: RequestHandler<{ app?: string }> = (req, res) => deps.receiveCallback(req, res, req.params.app, req.query);

  router.get(PATHS, verifyEchostr);

  // createApp hands the URLs WeChat is configured with straight to the handler;
  // the spellings Express also matches (any case, a trailing slash, percent-encoding) arrive here.
  router.post(PATHS, receiveCallback);

  return router;
}
