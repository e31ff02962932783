import type { Logger } from '@wxcs/logger';
import type { WechatApiClient } from '@wxcs/wechat-api';
import express, { Router } from 'express';
import { z } from 'zod';
import { ApiError } from '../http/api-error.js';
import { openidOfRoute, requireJson, resolveReplyingApp, wechatAppOf } from '../http/route-context.js';
import type { SupportApps } from '../http/support-apps.js';
import { wechatFailure } from './wechat-failure.js';

const typingBody = z.strictObject({ typing: z.boolean() });

export interface TypingRouterDeps {
  readonly apps: SupportApps;
  readonly wechat: Pick<WechatApiClient, 'setTyping'>;
  readonly logger: Logger;
}

/**
 * `POST /apps/{app}/conversations/{openid}/typing` with `{"typing": true|false}`.
 * WeChat shows it for 15 s, only within 30 s of a message exchanged with the
 * user (45080 otherwise), and not twice at once (45081).
 */
export function createTypingRouter(deps: TypingRouterDeps): Router {
  const router = Router();
  router.post(
    '/apps/:app/conversations/:openid/typing',
    resolveReplyingApp(deps.apps),
    requireJson,
    express.json({ limit: '1kb', strict: true }),
    async (req, res) => {
      const parsed = typingBody.safeParse(req.body);
      if (!parsed.success) throw new ApiError(400, 'invalid_body', { field: 'typing', message: 'must be {"typing": true} or {"typing": false}' });
      const app = wechatAppOf(res);
      try {
        await deps.wechat.setTyping(app, openidOfRoute(res), parsed.data.typing);
      } catch (error) {
        wechatFailure(error, { logger: deps.logger, app: app.name });
      }
      res.json({ typing: parsed.data.typing });
    },
  );
  return router;
}
