import { findReply, type PrismaClient } from '@wxcs/db';
import express, { Router } from 'express';
import { callerOf } from '../auth/bearer-auth.js';
import { notFound } from '../http/api-error.js';
import { openidOfRoute, requireJson, resolveReplyingApp, wechatAppOf } from '../http/route-context.js';
import type { SupportApps } from '../http/support-apps.js';
import { idempotencyKeyOf } from './idempotency-key.js';
import { parseReplyBody } from './reply-body.js';
import { replyView } from './reply-view.js';
import { submitReply, type SubmitReplyDeps } from './submit-reply.js';

export interface RepliesRouterDeps {
  readonly apps: SupportApps;
  readonly prisma: PrismaClient;
  readonly submit: SubmitReplyDeps;
  /** express.json's limit, e.g. `64kb`. */
  readonly bodyLimit: string;
}

/** `POST /apps/{app}/conversations/{openid}/replies` and `GET /replies/{id}`. */
export function createRepliesRouter(deps: RepliesRouterDeps): Router {
  const router = Router();

  router.post(
    '/apps/:app/conversations/:openid/replies',
    resolveReplyingApp(deps.apps),
    requireJson,
    express.json({ limit: deps.bodyLimit, strict: true }),
    async (req, res) => {
      const idempotencyKey = idempotencyKeyOf(req.headers['idempotency-key']);
      const body = parseReplyBody(req.body);
      const { reply, repeated } = await submitReply(deps.submit, {
        app: wechatAppOf(res),
        openid: openidOfRoute(res),
        body,
        idempotencyKey,
        sentBy: callerOf(res),
      });
      if (repeated) res.set('Idempotent-Replayed', 'true');
      res.status(repeated ? 200 : 202).json({ id: reply.id, status: reply.status });
    },
  );

  router.get('/replies/:id', async (req, res) => {
    const reply = await findReply(deps.prisma, req.params.id);
    if (reply === undefined) throw notFound('unknown_reply');
    res.json(replyView(reply, deps.apps.nameOf(reply.appId)));
  });

  return router;
}
