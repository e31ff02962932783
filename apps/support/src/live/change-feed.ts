import type { PrismaClient } from '@wxcs/db';
import type { Logger } from '@wxcs/logger';

/** What the inbox redraws: a conversation with new activity, or a reply whose status changed. */
export type InboxChange =
  | { readonly kind: 'conversation'; readonly appId: string; readonly openid: string; readonly lastActivityAt: string }
  | { readonly kind: 'reply'; readonly appId: string; readonly openid: string; readonly id: string; readonly status: string; readonly errcode: number | null; readonly errmsg: string | null }
  | { readonly kind: 'media'; readonly appId: string; readonly mediaId: string; readonly status: string };

export interface ChangeFeed {
  /** Calls `listener.changes` with each batch until the returned function is called; `listener.closed` when the feed closes. */
  readonly subscribe: (listener: FeedListener) => () => void;
  /** Stops polling and tells every listener, so open event streams end and the server can close. */
  readonly close: () => void;
}

export interface FeedListener {
  readonly changes: (changes: readonly InboxChange[]) => void;
  readonly closed: () => void;
}

export interface ChangeFeedOptions {
  readonly prisma: PrismaClient;
  readonly appIds: readonly string[];
  readonly intervalMs: number;
  readonly logger: Logger;
}

/**
 * A transaction stamps its rows with its start time and commits later, so
 * each poll looks this far behind the previous one and forgets what it has
 * already told; a write transaction longer than this can be missed (the
 * page's next reload or reconnect still shows it).
 */
const OVERLAP_MS = 5_000;
/** Replies are watched this long after creation: a send settles within minutes; one held longer shows on the next load. */
const REPLY_WATCH_MS = 24 * 3_600_000;
const BATCH_LIMIT = 500;
/** WeChat keeps a user's media for 3 days: no image is archived (or fails) later than that after it arrived. */
const MEDIA_WATCH_MS = 3 * 24 * 3_600_000;

interface WindowRow {
  appId: string;
  openid: string;
  lastActivityAt: Date;
}
interface MediaRow {
  appId: string;
  mediaId: string;
  status: string;
}
interface ReplyRow {
  id: string;
  appId: string;
  openid: string;
  status: string;
  errcode: number | null;
  errmsg: string | null;
}

/**
 * Every support replica polls PostgreSQL once per interval while at least
 * one browser listens: what the worker and other replicas stored is in the
 * database, whichever process wrote it, so nothing else has to publish, and
 * a replica or browser that reconnects loses nothing (the page reloads its
 * view). The cost is two indexed queries per interval per replica, however
 * many browsers are connected. Times come from the database's clock, so the
 * processes' clocks do not matter.
 */
export function createChangeFeed(options: ChangeFeedOptions): ChangeFeed {
  const { prisma, logger } = options;
  const listeners = new Set<FeedListener>();
  const told = new Map<string, string>();
  let since: Date | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const poll = async (): Promise<InboxChange[]> => {
    const [{ now }] = await prisma.$queryRawUnsafe<[{ now: Date }]>('SELECT now() AS now');
    const from = since ?? now;
    since = new Date(now.getTime() - OVERLAP_MS);
    const appIds = [...options.appIds];
    const [windows, replies, media] = await Promise.all([
      prisma.$queryRawUnsafe<WindowRow[]>(
        `SELECT app_id AS "appId", openid, last_activity_at AS "lastActivityAt" FROM conversation_window
         WHERE updated_at > $1 AND app_id = ANY($2::text[]) ORDER BY updated_at LIMIT ${BATCH_LIMIT}`,
        from, appIds,
      ),
      prisma.$queryRawUnsafe<ReplyRow[]>(
        `SELECT id::text AS id, app_id AS "appId", openid, status, errcode, errmsg FROM customer_reply
         WHERE app_id = ANY($2::text[]) AND created_at > $3 AND GREATEST(created_at, sent_at, failed_at, sending_since) > $1
         ORDER BY created_at LIMIT ${BATCH_LIMIT}`,
        from, appIds, new Date(now.getTime() - REPLY_WATCH_MS),
      ),
      // An image archived or given up on: the thread shows it, or why not.
      prisma.$queryRawUnsafe<MediaRow[]>(
        `SELECT app_id AS "appId", media_id AS "mediaId", status FROM media_archive
         WHERE status IN ('archived', 'failed') AND received_at > $3 AND app_id = ANY($2::text[]) AND GREATEST(archived_at, failed_at) > $1
         LIMIT ${BATCH_LIMIT}`,
        from, appIds, new Date(now.getTime() - MEDIA_WATCH_MS),
      ),
    ]);
    const changes: InboxChange[] = [
      ...windows.map((row) => ({ kind: 'conversation' as const, appId: row.appId, openid: row.openid, lastActivityAt: row.lastActivityAt.toISOString() })),
      ...replies.map((row) => ({ kind: 'reply' as const, ...row })),
      ...media.map((row) => ({ kind: 'media' as const, ...row })),
    ];
    return changes.filter((change) => {
      const key = change.kind === 'conversation' ? `c:${change.appId}:${change.openid}` : change.kind === 'reply' ? `r:${change.id}` : `m:${change.appId}:${change.mediaId}`;
      const state = change.kind === 'conversation' ? change.lastActivityAt : change.kind === 'reply' ? `${change.status}:${change.errcode}` : change.status;
      if (told.get(key) === state) return false;
      told.set(key, state);
      return true;
    });
  };

  const schedule = () => {
    if (closed || listeners.size === 0) {
      timer = undefined;
      return;
    }
    timer = setTimeout(() => {
      poll()
        .then((changes) => {
          if (changes.length > 0) for (const listener of listeners) listener.changes(changes);
        })
        .catch((error: unknown) => logger.warn({ err: error }, 'inbox change feed poll failed'))
        .finally(schedule);
    }, options.intervalMs);
  };

  return {
    subscribe: (listener) => {
      if (closed) {
        listener.closed();
        return () => undefined;
      }
      listeners.add(listener);
      if (timer === undefined) schedule();
      return () => {
        listeners.delete(listener);
        // Idle: the next subscriber starts from its own first poll, and the memory of what was told goes.
        if (listeners.size === 0) {
          since = undefined;
          told.clear();
        }
      };
    },
    close: () => {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      for (const listener of listeners) listener.closed();
      listeners.clear();
    },
  };
}
