import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { UIConfig } from '@bull-board/api/typings/app';
import { ExpressAdapter } from '@bull-board/express';
import type { DeadLetter, DeadLetterQueue, InboundQueue } from '@wxcs/queue';
import type { Router } from 'express';
import { DEAD_LETTERS_PATH } from './dead-letters/paths.js';

export interface BoardOptions {
  readonly inbound: InboundQueue;
  readonly deadLetters: DeadLetterQueue;
  /** Shown as a coloured badge, so nobody mistakes production for staging. */
  readonly environment: string;
}

/** `dead-letter · bad_padding`, so the reason code shows in the job list without opening each job. */
function deadLetterTitle(job: { name?: string; data?: Partial<DeadLetter> }): string {
  const code = job.data?.code;
  return typeof code === 'string' ? `${job.name ?? 'dead-letter'} · ${code}` : (job.name ?? '');
}

/** The same data with the reason first, so the job view shows why before the (long) callback. */
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

/**
 * bull-board over the two queues of the catalog, as an Express router to
 * mount at `/`. The handles are the producer handles main.ts created: the
 * dashboard never consumes.
 */
export function createBoardRouter(options: BoardOptions): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath('/');
  const deadLetters = new BullMQAdapter(options.deadLetters, {
    description:
      'Callbacks the worker could not store, with the reason in the job data. Nothing consumes this queue: ' +
      'use the "Dead letters" link to replay them, or remove them here.',
    // Retrying applies only to failed/completed jobs; dead letters wait, so replay is a separate page.
    allowRetries: false,
  });
  deadLetters.setFormatter('name', deadLetterTitle);
  deadLetters.setFormatter('data', reasonFirst);
  createBullBoard({
    queues: [
      // Read-only: an acknowledged callback may leave only through the worker or an explicit
      // dead-letter purge, never through an "empty", "clean" or "obliterate" click.
      new BullMQAdapter(options.inbound, {
        description: 'Raw callbacks accepted by the receiver, waiting for the worker. Read-only here.',
        readOnlyMode: true,
      }),
      deadLetters,
    ],
    serverAdapter,
    options: { uiConfig: uiConfig(options.environment) },
  });
  return serverAdapter.getRouter() as Router;
}
