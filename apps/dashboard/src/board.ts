import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { UIConfig } from '@bull-board/api/typings/app';
import { ExpressAdapter } from '@bull-board/express';
import { deadLetterQueue, findQueueRecord, type CatalogQueue, type DeadLetter } from '@wxcs/queue';
import type { Router } from 'express';
import { DEAD_LETTERS_PATH } from './dead-letters/paths.js';

export interface BoardOptions {
  /** A producer handle on every queue of the catalog, in the catalog's order. */
  readonly queues: readonly CatalogQueue[];
  /** Shown as a coloured badge, so nobody mistakes production for staging. */
  readonly environment: string;
}

/** `dead-letter · bad_padding`, so the reason code shows in the job list without opening each job. */
function deadLetterTitle(job: { name?: string; data?: Partial<DeadLetter> }): string {
  const code = job.data?.code;
  return typeof code === 'string' ? `${job.name ?? deadLetterQueue.jobName} · ${code}` : (job.name ?? '');
}

/** The same data with the reason first, so the job view shows why before the (long) payload. */
function reasonFirst(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || !('reason' in data)) return data;
  const { reason, code, kind, errorName, attemptsMade, ...rest } = data as Record<string, unknown>;
  return { reason, code, kind, errorName, attemptsMade, ...rest };
}

function uiConfig(environment: string): UIConfig {
  return {
    boardTitle: 'WeChat CS queues',
    miscLinks: [{ text: 'Dead letters: replay / remove', url: DEAD_LETTERS_PATH }],
    environment: {
      label: environment,
      color: environment === 'production' ? '#b91c1c' : '#475569',
      textColor: '#ffffff',
    },
    jobDetails: { defaultTab: 'Data' },
    hideDocsLink: true,
  };
}

/** One board per queue, as its catalog record describes it. */
function boardOf(queue: CatalogQueue): BullMQAdapter {
  const record = findQueueRecord(queue.name);
  if (record === undefined) throw new Error(`queue ${queue.name} is not in the catalog`);
  const adapter = new BullMQAdapter(queue, {
    description: record.board.description,
    readOnlyMode: record.board.readOnly,
    allowRetries: record.board.retries,
  });
  if (record.name === deadLetterQueue.name) {
    adapter.setFormatter('name', deadLetterTitle);
    adapter.setFormatter('data', reasonFirst);
  }
  return adapter;
}

/**
 * bull-board over the queues of the catalog, as an Express router to mount
 * at `/`. The handles are the producer handles main.ts created: the
 * dashboard never consumes.
 */
export function createBoardRouter(options: BoardOptions): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath('/');
  createBullBoard({
    queues: options.queues.map(boardOf),
    serverAdapter,
    options: { uiConfig: uiConfig(options.environment) },
  });
  return serverAdapter.getRouter() as Router;
}
