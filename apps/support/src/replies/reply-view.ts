import type { CustomerReply } from '@wxcs/db';

const iso = (time: Date | null) => (time === null ? null : time.toISOString());

/** A stored reply as `GET /replies/{id}` shows it. `app` is null when no configured app has its AppID any more. */
export function replyView(reply: CustomerReply, app: string | undefined) {
  return {
    id: reply.id,
    app: app ?? null,
    appId: reply.appId,
    openid: reply.openid,
    status: reply.status,
    errcode: reply.errcode,
    errmsg: reply.errmsg,
    rid: reply.rid,
    createdAt: iso(reply.createdAt),
    sentAt: iso(reply.sentAt),
    failedAt: iso(reply.failedAt),
    sentBy: reply.sentBy,
    idempotencyKey: reply.idempotencyKey,
    body: reply.body,
  };
}
