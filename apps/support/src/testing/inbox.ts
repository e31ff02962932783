import type { PrismaClient } from '@wxcs/db';
import { createLogger } from '@wxcs/logger';
import type { AppDeps } from '../app.js';
import { createChangeFeed } from '../live/change-feed.js';
import { createSessionStore } from '../staff/sessions.js';

/** The inbox's part of createApp's deps for tests that build the app themselves: no built pages, a feed over `prisma`. */
export function testInbox(prisma: PrismaClient, appIds: readonly string[]): AppDeps['inbox'] {
  return {
    sessions: createSessionStore({ prisma, idleMs: 3_600_000, now: () => new Date() }),
    cookie: { secure: false },
    webRoot: '/nonexistent-inbox',
    feed: createChangeFeed({ prisma, appIds, intervalMs: 1_000, logger: createLogger({ name: 'support', level: 'silent' }) }),
  };
}
