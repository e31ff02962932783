import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '@wxcs/db';

export interface StaffSession {
  readonly name: string;
  readonly csrfToken: string;
}

// The cookie carries 256 random bits; the table only their hash, so a copy of it is no session.
const idHashOf = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');

/** A session is written again only when a request comes this long after the last write, not on every request. */
const SLIDE_AFTER_MS = 60_000;

export interface SessionStore {
  readonly create: (userId: bigint) => Promise<{ id: string; session: StaffSession }>;
  /** The session the cookie's id names, its idle expiry moved forward; undefined when unknown or expired. */
  readonly find: (id: string) => Promise<StaffSession | undefined>;
  /** Whether the session still exists, without moving its expiry: an open event stream is not activity. */
  readonly isActive: (id: string) => Promise<boolean>;
  readonly remove: (id: string) => Promise<void>;
}

/** Sessions in PostgreSQL beside the accounts: removing an account or changing its password ends its sessions at once. */
export function createSessionStore(deps: { prisma: PrismaClient; idleMs: number; now: () => Date }): SessionStore {
  const { prisma, idleMs, now } = deps;
  const expiry = () => new Date(now().getTime() + idleMs);
  return {
    create: async (userId) => {
      const id = randomToken();
      const csrfToken = randomToken();
      // Signing in is a good moment to forget expired sessions; no sweeper is needed for a table this small.
      await prisma.supportSession.deleteMany({ where: { expiresAt: { lt: now() } } });
      const row = await prisma.supportSession.create({
        data: { idHash: idHashOf(id), userId, csrfToken, createdAt: now(), expiresAt: expiry() },
        include: { user: { select: { name: true } } },
      });
      return { id, session: { name: row.user.name, csrfToken } };
    },
    find: async (id) => {
      const row = await prisma.supportSession.findUnique({ where: { idHash: idHashOf(id) }, include: { user: { select: { name: true } } } });
      if (row === null || row.expiresAt <= now()) return undefined;
      if (row.expiresAt.getTime() - now().getTime() < idleMs - SLIDE_AFTER_MS) {
        await prisma.supportSession.updateMany({ where: { idHash: row.idHash }, data: { expiresAt: expiry() } });
      }
      return { name: row.user.name, csrfToken: row.csrfToken };
    },
    isActive: async (id) => (await prisma.supportSession.count({ where: { idHash: idHashOf(id), expiresAt: { gt: now() } } })) > 0,
    remove: async (id) => {
      await prisma.supportSession.deleteMany({ where: { idHash: idHashOf(id) } });
    },
  };
}
