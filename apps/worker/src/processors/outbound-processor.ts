import { claimReplySend, classifyDatabaseError, findReply, markReplyHeld, type CustomerReply, type Queryable } from '@wxcs/db';
import type { Logger } from '@wxcs/logger';
import { outboundQueue, type DeadLetter, type OutboundReply } from '@wxcs/queue';
import { WechatApiError, type OutboundMessage, type TokenStore, type WechatApiClient, type WechatApp } from '@wxcs/wechat-api';
import { DelayedError, RateLimitError, type Job } from 'bullmq';
import type { OutboundMetrics, SendResult } from '../metrics/outbound-metrics.js';
import type { WorkerMetrics } from '../metrics/worker-metrics.js';
import { jobDeadLetterer } from './dead-letter.js';
import { describeExhaustedFailure, describeRepeatedStalls, errorNameOf, type FailureDescription } from './failures.js';
import { rememberFirstAttempt, rememberUnrecordedVerdict, unrecordedVerdictOf } from './outbound-progress.js';
import type { OutageGuard } from './outage-guard.js';
import { settleReply, type SettledOutcome, type Settling } from './reply-settlement.js';
import { SENT, judgeFailure, outcomeUnknown, type SendVerdict } from './send-verdict.js';
import type { SendingApps } from './sending-apps.js';

export interface OutboundResult {
  readonly outcome: Exclude<SettledOutcome, 'retry'> | 'already-ended' | 'dead-lettered';
  readonly replyId?: string;
  /** Dead-letter code, when one was written. */
  readonly code?: string;
}

export type OutboundJob = Job<unknown, OutboundResult, string>;

export interface OutboundProcessorDeps {
  readonly prisma: Queryable;
  readonly apps: SendingApps;
  readonly wechat: Pick<WechatApiClient, 'sendMessage'>;
  readonly tokens: Pick<TokenStore, 'get'>;
  /** A claim younger than this may belong to an attempt still waiting for WeChat (see claimTimeoutFor). */
  readonly claimTimeoutMs: number;
  /** Durable (Redis) and idempotent per source job. */
  readonly addDeadLetter: (letter: DeadLetter) => Promise<unknown>;
  readonly outage: OutageGuard;
  /** As for the inbound queue: a job found stalled this often is not run again. */
  readonly maxStalls: number;
  readonly metrics: OutboundMetrics & Pick<WorkerMetrics, 'deadLettered'>;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/** Clock skew between workers, and the database round trips around a send. */
const CLAIM_MARGIN_MS = 2_000;

/** How old a claim must be before no attempt can still be sending under it: the longest client call, and a margin. */
export function claimTimeoutFor(longestCallMs: number): number {
  return longestCallMs + CLAIM_MARGIN_MS;
}

/** WeChat certainly did not take the reply: the job throws for BullMQ's backoff. */
class SendRetryError extends Error {
  override readonly name = 'SendRetryError';
}

/**
 * One job → at most one call to WeChat's send for its reply. The reply row
 * is the truth: a reply that is no longer queued is left alone (a repeated
 * job or a replay never sends twice), and only the holder of the reply's
 * send claim calls WeChat. A claim found taken belongs to an attempt that may
 * still be running (wait until it has expired) or that died mid-send (the
 * outcome is unknown: the reply fails and is not sent again).
 */
export function createOutboundProcessor(deps: OutboundProcessorDeps) {
  const now = deps.now ?? (() => new Date());
  const { prisma, logger } = deps;
  const isLastAttempt = (job: OutboundJob) => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

  const deadLetter = jobDeadLetterer({ origin: outboundQueue.name, addDeadLetter: deps.addDeadLetter, deadLettered: deps.metrics.deadLettered, logger, now });

  async function settle(job: OutboundJob, settling: Settling, verdict: SendVerdict): Promise<OutboundResult> {
    const settlementDeps = { prisma, metrics: deps.metrics, logger, now, deadLetter: (failure: FailureDescription, kind: DeadLetter['kind']) => deadLetter(job, failure, kind) };
    const outcome = await settleReply(settlementDeps, settling, verdict);
    deps.outage.recovered();
    if (outcome === 'retry') throw new SendRetryError(`WeChat did not take the reply: ${'errmsg' in verdict ? verdict.errmsg : ''}`);
    return { outcome, replyId: settling.reply.id };
  }

  /** The attempt that holds the claim may still be waiting for WeChat; once the claim has expired, none is. */
  async function claimTaken(job: OutboundJob, token: string | undefined, reply: CustomerReply, app: string): Promise<OutboundResult> {
    const since = reply.sendingSince ?? now();
    const expiresAt = since.getTime() + deps.claimTimeoutMs;
    if (now().getTime() < expiresAt) {
      logger.info({ jobId: job.id, replyId: reply.id, sendingSince: since }, 'another attempt is sending this reply; checking again when its claim expires');
      // BullMQ always hands a processor its lock token; without one, an ordinary retry waits instead.
      if (token === undefined) throw new Error('the reply is being sent by another attempt');
      // Back to delayed without spending an attempt.
      await job.moveToDelayed(expiresAt, token);
      throw new DelayedError();
    }
    const why = `a send started at ${since.toISOString()} never recorded WeChat's answer (the worker running it stopped)`;
    return settle(job, { reply, app, lastAttempt: isLastAttempt(job) }, outcomeUnknown(why));
  }

  async function timedSend(app: WechatApp, reply: CustomerReply): Promise<SendVerdict> {
    const started = performance.now();
    let verdict: SendVerdict = SENT;
    let result: SendResult = 'ok';
    try {
      // touser last: the stored body is WeChat's shape without it, and nothing in it may redirect the reply.
      await deps.wechat.sendMessage(app, { ...reply.body, touser: reply.openid } as unknown as OutboundMessage);
    } catch (error) {
      verdict = judgeFailure(error, true);
      result = error instanceof WechatApiError && (error.errcode !== undefined || error.status !== undefined) ? 'refused' : 'no_answer';
    }
    deps.metrics.sendTimed(result, (performance.now() - started) / 1_000);
    return verdict;
  }

  async function sendReply(job: OutboundJob, token: string | undefined, payload: OutboundReply): Promise<OutboundResult> {
    const reply = await findReply(prisma, payload.replyId);
    if (reply === undefined) {
      await deadLetter(job, { code: 'reply_not_found', reason: `no customer_reply with id ${payload.replyId}`, errorName: 'ReplyNotFound' }, 'permanent');
      return { outcome: 'dead-lettered', code: 'reply_not_found' };
    }
    // A repeated job, or a replay of a reply that has ended: nothing is sent twice.
    if (reply.status !== 'queued') return { outcome: 'already-ended', replyId: reply.id };
    const settling: Settling = { reply, app: payload.app, lastAttempt: isLastAttempt(job) };
    const unrecorded = unrecordedVerdictOf(job);
    if (unrecorded !== undefined && reply.sendingSince?.getTime() === unrecorded.claimedAt) {
      return settle(job, { ...settling, claimedAt: reply.sendingSince }, unrecorded.verdict);
    }
    if (reply.sendingSince !== null) return claimTaken(job, token, reply, payload.app);

    const target = resolveApp(deps.apps, payload.app, reply);
    if (typeof target === 'string') return settle(job, settling, { kind: 'refused', errcode: null, errmsg: target, rid: null });
    if (job.stalledCounter >= deps.maxStalls) return holdStalled(job, reply, payload.app);
    try {
      // The token first, outside the claim: waiting for it or failing to get it sends nothing.
      await deps.tokens.get(target);
    } catch (error) {
      return settle(job, settling, judgeFailure(error, false));
    }

    const claimedAt = now();
    const claimed = await claimReplySend(prisma, reply.id, claimedAt);
    if (claimed === undefined) {
      const current = await findReply(prisma, reply.id);
      if (current?.status !== 'queued') return { outcome: 'already-ended', replyId: reply.id };
      if (current.sendingSince === null) throw new Error('the send claim was taken and given back meanwhile; trying again');
      return claimTaken(job, token, current, payload.app);
    }
    const verdict = await timedSend(target, claimed);
    try {
      return await settle(job, { ...settling, claimedAt }, verdict);
    } catch (error) {
      if (!(error instanceof SendRetryError)) await rememberUnrecordedVerdict(job, { verdict, claimedAt: claimedAt.getTime() }, logger);
      throw error;
    }
  }

  async function holdStalled(job: OutboundJob, reply: CustomerReply, app: string): Promise<OutboundResult> {
    const failure = describeRepeatedStalls(job.stalledCounter);
    await markReplyHeld(prisma, { id: reply.id, errcode: null, errmsg: `${failure.code}: ${failure.reason}`, rid: null });
    deps.metrics.replyDone(app, 'held', null);
    await deadLetter(job, failure, 'exhausted');
    return { outcome: 'held', replyId: reply.id, code: failure.code };
  }

  /** Anything but a verdict: the database, Redis, a bug. Never reached with a send in flight. */
  async function settleError(job: OutboundJob, payload: OutboundReply, error: unknown): Promise<OutboundResult> {
    if (error instanceof DelayedError) throw error;
    const log = logger.child({ queue: outboundQueue.name, jobId: job.id, replyId: payload.replyId });
    if (!(error instanceof SendRetryError) && classifyDatabaseError(error).kind === 'unavailable') {
      deps.metrics.replyDone(payload.app, 'retried', null);
      await deps.outage.pauseFetching().catch((pauseError: unknown) => log.warn({ err: pauseError }, 'could not pause fetching'));
      // Back to wait without spending an attempt (BullMQ's manual rate limit).
      throw new RateLimitError();
    }
    if (!(error instanceof SendRetryError) && isLastAttempt(job)) {
      const failure = describeExhaustedFailure(error);
      await deadLetter(job, failure, 'exhausted');
      // Best effort: without it, the orphan sweep adds the reply's job again once this one is trimmed.
      await markReplyHeld(prisma, { id: payload.replyId, errcode: null, errmsg: `${failure.code}: ${failure.reason}`, rid: null }).catch(
        (holdError: unknown) => log.warn({ err: holdError }, 'could not record the last error on the reply'),
      );
      deps.metrics.replyDone(payload.app, 'held', null);
      return { outcome: 'held', replyId: payload.replyId, code: failure.code };
    }
    await rememberFirstAttempt(job, log);
    if (!(error instanceof SendRetryError)) deps.metrics.replyDone(payload.app, 'retried', null);
    log.warn({ err: error, errorName: errorNameOf(error), attemptsMade: job.attemptsMade + 1 }, 'attempt failed, will retry');
    throw error;
  }

  return async function processOutbound(job: OutboundJob, token?: string): Promise<OutboundResult> {
    const parsed = outboundQueue.payload.safeParse(job.data);
    if (!parsed.success) {
      await deadLetter(job, { code: 'bad_payload', reason: `job data is not a reply: ${parsed.error.message.slice(0, 400)}`, errorName: 'ZodError' }, 'permanent');
      return { outcome: 'dead-lettered', code: 'bad_payload' };
    }
    try {
      return await sendReply(job, token, parsed.data);
    } catch (error) {
      return settleError(job, parsed.data, error);
    }
  };
}

/** The app that sends the reply, or why none can: the errmsg the reply fails with. */
function resolveApp(apps: SendingApps, name: string, reply: CustomerReply): WechatApp | string {
  const entry = apps.byName(name);
  if (entry === undefined) return `unknown_app: no app named "${name}" is configured`;
  if (!entry.canSend) return `app_cannot_send: the app "${name}" has no AppSecret configured; it is inbound-only`;
  if (entry.app.appId !== reply.appId) return `app_mismatch: the job names the app "${name}", whose AppID is not the reply's`;
  return entry.app;
}
