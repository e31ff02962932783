import {
  markReplyFailed,
  markReplyFailedWithoutAnswer,
  markReplyHeld,
  markReplySent,
  releaseReplySend,
  type CustomerReply,
  type Queryable,
} from '@wxcs/db';
import type { Logger } from '@wxcs/logger';
import type { OutboundMetrics } from '../metrics/outbound-metrics.js';
import type { FailureDescription } from './failures.js';
import type { SendVerdict } from './send-verdict.js';

/** What became of the reply: ended (`sent`, `failed`, `unknown`), given back for a retry, or held for an operator. */
export type SettledOutcome = 'sent' | 'failed' | 'unknown' | 'retry' | 'held';

export interface ReplySettlementDeps {
  readonly prisma: Queryable;
  readonly metrics: OutboundMetrics;
  /** Writes a dead letter for the job being processed. */
  readonly deadLetter: (failure: FailureDescription, kind: 'permanent' | 'exhausted') => Promise<void>;
  readonly logger: Logger;
  readonly now: () => Date;
}

export interface Settling {
  readonly reply: CustomerReply;
  /** The configured app name the job named (a metric label). */
  readonly app: string;
  /** The claim this attempt took, if it took one: a retry gives exactly that claim back. */
  readonly claimedAt?: Date;
  readonly lastAttempt: boolean;
}

/**
 * Records a verdict on the reply, each outcome in one conditional UPDATE
 * that changes only a queued reply, so a late or repeated settlement cannot
 * overwrite the first. The caller throws on `retry` for BullMQ's backoff.
 */
export async function settleReply(deps: ReplySettlementDeps, settling: Settling, verdict: SendVerdict): Promise<SettledOutcome> {
  const { prisma, metrics, logger } = deps;
  const { reply, app } = settling;
  const id = reply.id;
  const log = logger.child({ replyId: id, app });
  switch (verdict.kind) {
    case 'sent': {
      const ended = await markReplySent(prisma, { id, at: deps.now(), errcode: 0, errmsg: 'ok' });
      // Only if another attempt decided the outcome was unknown while this one still waited for WeChat.
      if (ended === undefined) log.error('WeChat took the reply after it had ended; its status is not sent');
      metrics.replyDone(app, 'sent', 0);
      log.debug('reply sent');
      return 'sent';
    }
    case 'refused': {
      const { errcode, errmsg, rid } = verdict;
      await (errcode === null
        ? markReplyFailedWithoutAnswer(prisma, { id, at: deps.now(), errmsg })
        : markReplyFailed(prisma, { id, at: deps.now(), errcode, errmsg, ...(rid === null ? {} : { rid }) }));
      metrics.replyDone(app, 'failed', errcode);
      log.warn({ errcode, errmsg, rid }, 'reply failed');
      // Replaying this letter is harmless: the reply is failed, so the processor leaves it.
      if (verdict.alert) await deps.deadLetter({ code: verdict.alert, reason: errmsg, errorName: 'WechatApiError' }, 'permanent');
      return 'failed';
    }
    case 'unknown':
      await markReplyFailedWithoutAnswer(prisma, { id, at: deps.now(), errmsg: verdict.errmsg });
      metrics.replyDone(app, 'unknown', null);
      log.warn({ errmsg: verdict.errmsg }, 'reply outcome unknown, not sent again');
      return 'unknown';
    case 'retry': {
      const { errcode, errmsg, rid } = verdict;
      if (settling.claimedAt) await releaseReplySend(prisma, id, settling.claimedAt);
      if (!settling.lastAttempt) {
        metrics.replyDone(app, 'retried', errcode);
        return 'retry';
      }
      // Queued and unclaimed, so replaying the dead letter sends it once; the error keeps the orphan sweep away.
      await markReplyHeld(prisma, { id, errcode, errmsg, rid });
      metrics.replyDone(app, 'held', errcode);
      await deps.deadLetter({ code: 'retries_exhausted', reason: `WeChat did not take the reply on any attempt; last: ${errmsg}`, errorName: 'WechatApiError' }, 'exhausted');
      return 'held';
    }
  }
}
