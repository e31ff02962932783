import { findStaleQueuedReplies, type Queryable } from '@wxcs/db';
import { outboundQueue, type JobPolicy, type OutboundReply } from '@wxcs/queue';
import type { JobsOptions } from 'bullmq';
import type { SendingApps } from './sending-apps.js';

/** A queued reply without its job this long after it was stored has lost its job (the support API's add failed). */
export const ORPHAN_AGE_MS = 60_000;
/** How far back the sweep looks: bounds its index scan; WeChat refuses replies long past a window anyway. */
export const ORPHAN_LOOKBACK_MS = 7 * 24 * 3_600_000;
/** Replies looked at per sweep; the next sweep takes the rest. */
export const ORPHAN_SWEEP_LIMIT = 500;

/** What the sweep needs of the outbound queue. */
export interface ReplyJobs {
  getJob(jobId: string): Promise<unknown>;
  add(name: string, data: OutboundReply, opts: JobsOptions): Promise<unknown>;
}

export interface OrphanReplyDeps {
  readonly prisma: Queryable;
  readonly apps: SendingApps;
  readonly queue: ReplyJobs;
  readonly policy: JobPolicy;
  readonly now?: () => Date;
}

/**
 * Adds the job of every queued, unclaimed reply of a sending app that has
 * been waiting more than a minute and has no job, and returns how many it
 * added. The support API commits the row before it adds the job, so a Redis
 * blip in between leaves a reply nobody would send. The job id is the
 * reply's own (`reply-<id>`): replicas sweeping at once, or a late add by
 * the support API, make one job; and the claim makes a second job harmless.
 * Replies the worker gave up on (held, with their last error) are left to an
 * operator's replay.
 */
export async function addMissingReplyJobs(deps: OrphanReplyDeps): Promise<number> {
  const now = (deps.now ?? (() => new Date()))().getTime();
  const appIds = deps.apps.names.flatMap((name) => {
    const entry = deps.apps.byName(name);
    return entry?.canSend ? [entry.app.appId] : [];
  });
  const stale = await findStaleQueuedReplies(deps.prisma, {
    appIds: [...new Set(appIds)],
    olderThan: new Date(now - ORPHAN_AGE_MS),
    notBefore: new Date(now - ORPHAN_LOOKBACK_MS),
    limit: ORPHAN_SWEEP_LIMIT,
  });
  let added = 0;
  for (const reply of stale) {
    const app = deps.apps.byAppId(reply.appId);
    if (app === undefined) continue;
    const payload: OutboundReply = { v: 1, replyId: reply.id, app: app.name };
    const jobId = outboundQueue.jobId(payload);
    // A job waiting, delayed, running or kept after it completed: the reply is not an orphan.
    if ((await deps.queue.getJob(jobId)) !== undefined) continue;
    await deps.queue.add(outboundQueue.jobName, payload, { ...outboundQueue.jobOptions(deps.policy), jobId });
    added += 1;
  }
  return added;
}
