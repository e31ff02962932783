import { reserveReply, type CustomerReply, type PrismaClient } from '@wxcs/db';
import type { WechatApp } from '@wxcs/wechat-api';
import { ApiError } from '../http/api-error.js';
import type { SupportMetrics } from '../metrics/support-metrics.js';
import { enqueueReply, type EnqueueDeps } from './enqueue-reply.js';
import { canonicalJson } from './idempotency-key.js';
import type { ReplyBody } from './reply-body.js';

export interface SubmitReplyDeps {
  readonly prisma: PrismaClient;
  readonly enqueue: EnqueueDeps;
  readonly metrics: SupportMetrics;
  readonly now: () => Date;
}

export interface ReplyRequest {
  readonly app: WechatApp;
  readonly openid: string;
  readonly body: ReplyBody;
  readonly idempotencyKey: string | undefined;
  /** The caller's token name. */
  readonly sentBy: string;
}

export interface SubmittedReply {
  readonly reply: CustomerReply;
  /** True when the idempotency key had been used: this is the first reply, nothing new was stored. */
  readonly repeated: boolean;
}

/**
 * Stores the reply if the conversation's window allows it (spending one of
 * its replies) and adds the job that sends it. A refusal by the window is
 * 409 with its reason and leaves nothing stored or queued.
 *
 * A repeated idempotency key returns the first reply, provided it was for the
 * same conversation and body: reusing a key for another message is a client
 * bug that would otherwise drop that message silently, so it is 422. A
 * repeat of a still queued reply adds its job again, which recovers a first
 * request whose add failed and is harmless otherwise (same job id).
 */
export async function submitReply(deps: SubmitReplyDeps, request: ReplyRequest): Promise<SubmittedReply> {
  const { app } = request;
  const result = await reserveReply(deps.prisma, {
    appId: app.appId,
    openid: request.openid,
    idempotencyKey: request.idempotencyKey,
    msgType: request.body.msgtype,
    body: request.body,
    sentBy: request.sentBy,
    now: deps.now(),
  });
  if (result.outcome === 'refused') {
    deps.metrics.replies.inc({ app: app.name, outcome: result.reason });
    throw new ApiError(409, result.reason);
  }
  const { reply } = result;
  if (result.outcome === 'repeated' && (reply.openid !== request.openid || canonicalJson(reply.body) !== canonicalJson(request.body))) {
    throw new ApiError(422, 'idempotency_key_reused', { message: 'this Idempotency-Key was used for another reply' });
  }
  deps.metrics.replies.inc({ app: app.name, outcome: result.outcome });
  if (reply.status === 'queued' && !(await enqueueReply(deps.enqueue, reply, app.name))) {
    deps.metrics.enqueueFailures.inc({ app: app.name });
  }
  return { reply, repeated: result.outcome === 'repeated' };
}
