import type { Logger } from '@wxcs/logger';
import {
  pageDeadLetters,
  purgeDeadLetters,
  replayDeadLetters,
  type DeadLetterFilter,
  type DeadLetterQueue,
  type OriginQueue,
} from '@wxcs/queue';
import express, { Router, type Request, type Response } from 'express';
import { PAGE_CSP, PAGE_SCRIPT, PAGE_SCRIPT_PATH, PAGE_STYLE, PAGE_STYLE_PATH } from './assets.js';
import { DEAD_LETTERS_PATH, REPLAY_ALL_PATH } from './paths.js';
import { renderDeadLetterPage } from './page.js';

export interface DeadLetterRouterOptions {
  readonly deadLetters: DeadLetterQueue;
  /** The queues a dead letter may return to. */
  readonly origins: readonly OriginQueue[];
  /** `QUEUE_JOB_ATTEMPTS`: a replayed job gets the same retry budget as a fresh one. */
  readonly jobAttempts: number;
  readonly logger: Logger;
}

/** Rows rendered at most; the count above the table says how many there are in all. */
const PAGE_ROWS = 200;

type Action = 'replayed' | 'removed';

const NOTICES: Record<Action, (count: number) => string> = {
  replayed: (count) => `Replayed ${count} dead letter(s) into the queues they came from.`,
  removed: (count) => `Removed ${count} dead letter(s).`,
};

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function filterFrom(source: Record<string, unknown> | undefined): DeadLetterFilter {
  return { app: text(source?.app), code: text(source?.code) };
}

/** A fixed sentence per known action: nothing from the query string is echoed as a notice. */
function noticeFrom(query: Request['query']): string | undefined {
  const done = text(query.done);
  const count = Number.parseInt(text(query.count) ?? '', 10);
  if (done !== 'replayed' && done !== 'removed') return undefined;
  if (!Number.isSafeInteger(count) || count < 0) return undefined;
  return count === 0 ? 'Nothing matched: it was replayed or removed already.' : NOTICES[done](count);
}

/**
 * JSON for scripts that ask for it; a redirect back to the list
 * (post/redirect/get) for the page's forms. `bulk` is the filter of a bulk
 * action, absent for an action on one dead letter, which is a 404 when that
 * one is gone.
 */
function answer(req: Request, res: Response, action: Action, ids: readonly string[], bulk?: DeadLetterFilter): void {
  if (req.accepts(['html', 'json']) === 'json') {
    res.status(bulk === undefined && ids.length === 0 ? 404 : 200).json({ [action]: ids });
    return;
  }
  const back = new URLSearchParams({ done: action, count: String(ids.length) });
  if (bulk?.app) back.set('app', bulk.app);
  if (bulk?.code) back.set('code', bulk.code);
  res.redirect(303, `${DEAD_LETTERS_PATH}?${back.toString()}`);
}

function operatorOf(res: Response): string {
  return typeof res.locals.operator === 'string' ? res.locals.operator : 'unknown';
}

/**
 * The dead-letter page and its actions. bull-board cannot replay: its retry
 * applies to failed jobs, and dead letters wait in a queue nothing consumes.
 * Mount after authentication and the cross-site check.
 */
export function createDeadLetterRouter(options: DeadLetterRouterOptions): Router {
  const { origins, deadLetters, logger } = options;
  const policy = { attempts: options.jobAttempts };
  const router = Router();
  router.use(DEAD_LETTERS_PATH, express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 }));

  router.get(PAGE_SCRIPT_PATH, (_req, res) => {
    res.type('text/javascript').send(PAGE_SCRIPT);
  });
  router.get(PAGE_STYLE_PATH, (_req, res) => {
    res.type('text/css').send(PAGE_STYLE);
  });

  router.get(DEAD_LETTERS_PATH, async (req, res) => {
    const filter = filterFrom(req.query);
    const { letters, total } = await pageDeadLetters(deadLetters, filter, PAGE_ROWS);
    const page = renderDeadLetterPage({
      letters,
      total,
      filter,
      notice: noticeFrom(req.query),
    });
    res.set('Content-Security-Policy', PAGE_CSP).set('Cache-Control', 'no-store').type('html').send(page);
  });

  router.post(REPLAY_ALL_PATH, async (req, res) => {
    const filter = filterFrom(req.body as Record<string, unknown> | undefined);
    const ids = await replayDeadLetters(deadLetters, origins, policy, filter);
    logger.info({ operator: operatorOf(res), filter, count: ids.length }, 'dead letters replayed');
    answer(req, res, 'replayed', ids, filter);
  });

  router.post(`${DEAD_LETTERS_PATH}/:id/replay`, async (req, res) => {
    const ids = await replayDeadLetters(deadLetters, origins, policy, { ids: [String(req.params.id)] });
    logger.info({ operator: operatorOf(res), jobIds: ids }, 'dead letter replayed');
    answer(req, res, 'replayed', ids);
  });

  router.post(`${DEAD_LETTERS_PATH}/:id/remove`, async (req, res) => {
    const ids = await purgeDeadLetters(deadLetters, { ids: [String(req.params.id)] });
    logger.info({ operator: operatorOf(res), jobIds: ids }, 'dead letter removed');
    answer(req, res, 'removed', ids);
  });

  return router;
}
