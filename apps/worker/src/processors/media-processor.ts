import { classifyDatabaseError, recordArchiveAttempt, recordArchiveFailed, type Queryable } from '@wxcs/db';
import type { Logger } from '@wxcs/logger';
import { archiveMedia, type MediaStore } from '@wxcs/media';
import { mediaQueue, type DeadLetter, type MediaArchiveJob } from '@wxcs/queue';
import type { WechatApiClient } from '@wxcs/wechat-api';
import { RateLimitError, type Job } from 'bullmq';
import type { MediaMetrics } from '../metrics/media-metrics.js';
import type { WorkerMetrics } from '../metrics/worker-metrics.js';
import { jobDeadLetterer } from './dead-letter.js';
import { describeExhaustedFailure, describeRepeatedStalls, errorNameOf, type FailureDescription } from './failures.js';
import { judgeArchiveFailure } from './media-verdict.js';
import { rememberFirstAttempt } from './outbound-progress.js';
import type { OutageGuard } from './outage-guard.js';
import type { SendingApps } from './sending-apps.js';

export interface MediaResult {
  readonly outcome: 'archived' | 'failed' | 'already-ended' | 'dead-lettered';
  readonly sha256?: string;
  /** Our reason (failed) or the dead-letter code. */
  readonly code?: string;
}

export type MediaJob = Job<unknown, MediaResult, string>;

export interface MediaProcessorDeps {
  readonly prisma: Queryable;
  /** The apps with an AppSecret fetch from WeChat; the others' images fail `app_cannot_fetch`. */
  readonly apps: SendingApps;
  readonly wechat: Pick<WechatApiClient, 'downloadMedia'>;
  readonly store: MediaStore;
  readonly maxBytes: number;
  readonly addDeadLetter: (letter: DeadLetter) => Promise<unknown>;
  readonly outage: OutageGuard;
  readonly maxStalls: number;
  readonly metrics: MediaMetrics & Pick<WorkerMetrics, 'deadLettered'>;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/**
 * One job → the image of one archive fetched from WeChat's media/get at
 * most once to success. The archive row is the truth: one that is no longer
 * pending is left alone, so a repeated job or a replay fetches nothing.
 * Only the media id leaves for WeChat; the payload's PicUrl is never
 * followed (in plaintext mode anyone can write it).
 */
export function createMediaProcessor(deps: MediaProcessorDeps) {
  const now = deps.now ?? (() => new Date());
  const { prisma, logger } = deps;
  const isLastAttempt = (job: MediaJob) => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

  const writeDeadLetter = jobDeadLetterer({ origin: mediaQueue.name, addDeadLetter: deps.addDeadLetter, deadLettered: deps.metrics.deadLettered, logger, now });

  async function deadLetter(job: MediaJob, failure: FailureDescription, kind: DeadLetter['kind']): Promise<MediaResult> {
    await writeDeadLetter(job, failure, kind);
    return { outcome: 'dead-lettered', code: failure.code };
  }

  async function fail(job: MediaArchiveJob, appId: string, failure: { reason: string; errcode?: number | undefined; rid?: string | undefined }): Promise<MediaResult> {
    const ended = await recordArchiveFailed(prisma, { appId, mediaId: job.mediaId, ...failure });
    if (ended === undefined) return { outcome: 'already-ended' };
    deps.metrics.mediaDone(job.app, 'failed', failure.reason, failure.errcode ?? null);
    logger.warn({ app: job.app, mediaId: job.mediaId, reason: failure.reason, errcode: failure.errcode, rid: failure.rid }, 'image not archived');
    return { outcome: 'failed', code: failure.reason };
  }

  async function attempt(job: MediaJob, payload: MediaArchiveJob): Promise<MediaResult> {
    const entry = deps.apps.byName(payload.app);
    if (entry === undefined) {
      return deadLetter(job, { code: 'unknown_app', reason: `no app named "${payload.app}" is configured`, errorName: 'UnknownApp' }, 'permanent');
    }
    if (!entry.canSend) return fail(payload, entry.appId, { reason: 'app_cannot_fetch' });
    const { app } = entry;
    if (job.stalledCounter >= deps.maxStalls) {
      deps.metrics.mediaDone(payload.app, 'held', 'stalled_repeatedly', null);
      return deadLetter(job, describeRepeatedStalls(job.stalledCounter), 'exhausted');
    }
    const key = { appId: app.appId, mediaId: payload.mediaId };
    try {
      const result = await archiveMedia(
        { prisma, store: deps.store, maxBytes: deps.maxBytes, download: (mediaId) => deps.wechat.downloadMedia(app, mediaId) },
        key,
      );
      deps.outage.recovered();
      if (result.outcome === 'no-archive') {
        return deadLetter(job, { code: 'archive_not_found', reason: `no media_archive row for ${payload.mediaId}`, errorName: 'ArchiveNotFound' }, 'permanent');
      }
      if (result.outcome === 'already-ended') return { outcome: 'already-ended' };
      deps.metrics.mediaDone(payload.app, 'archived', null, null);
      logger.debug({ app: payload.app, mediaId: payload.mediaId, sha256: result.archive.sha256 }, 'image archived');
      return { outcome: 'archived', sha256: result.archive.sha256 ?? undefined };
    } catch (error) {
      return settleError(job, payload, key.appId, error);
    }
  }

  async function settleError(job: MediaJob, payload: MediaArchiveJob, appId: string, error: unknown): Promise<MediaResult> {
    const log = logger.child({ queue: mediaQueue.name, jobId: job.id, mediaId: payload.mediaId });
    if (classifyDatabaseError(error).kind === 'unavailable') {
      await deps.outage.pauseFetching().catch((pauseError: unknown) => log.warn({ err: pauseError }, 'could not pause fetching'));
      // Back to wait without spending an attempt (BullMQ's manual rate limit).
      throw new RateLimitError();
    }
    const verdict = judgeArchiveFailure(error);
    if (verdict.kind === 'failed') return fail(payload, appId, verdict);
    const reason = `${errorNameOf(error)}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500);
    await recordArchiveAttempt(prisma, { appId, mediaId: payload.mediaId, reason }).catch((recordError: unknown) =>
      log.warn({ err: recordError }, 'could not record the attempt on the archive'),
    );
    if (verdict.kind === 'alert') {
      deps.metrics.mediaDone(payload.app, 'held', verdict.code, null);
      return deadLetter(job, { code: verdict.code, reason, errorName: errorNameOf(error) }, 'permanent');
    }
    if (isLastAttempt(job)) {
      deps.metrics.mediaDone(payload.app, 'held', 'retries_exhausted', null);
      return deadLetter(job, describeExhaustedFailure(error), 'exhausted');
    }
    deps.metrics.mediaDone(payload.app, 'retried', null, null);
    await rememberFirstAttempt(job, log);
    log.warn({ err: error, errorName: errorNameOf(error), attemptsMade: job.attemptsMade + 1 }, 'archive attempt failed, will retry');
    throw error;
  }

  return async function processMedia(job: MediaJob): Promise<MediaResult> {
    const parsed = mediaQueue.payload.safeParse(job.data);
    if (!parsed.success) {
      return deadLetter(job, { code: 'bad_payload', reason: `job data is not an archive job: ${parsed.error.message.slice(0, 400)}`, errorName: 'ZodError' }, 'permanent');
    }
    return attempt(job, parsed.data);
  };
}
