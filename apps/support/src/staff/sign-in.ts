import type { PrismaClient } from '@wxcs/db';
import { UNKNOWN_USER_HASH, verifyPassword } from './password-hash.js';

/** Wrong passwords accepted without delay; from the next one on, each locks the account for longer. */
export const FREE_ATTEMPTS = 5;
const FIRST_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;

/** 30 s after the sixth wrong password, doubling with each further one, at most 15 minutes. */
export function lockDuration(failedAttempts: number): number {
  if (failedAttempts <= FREE_ATTEMPTS) return 0;
  return Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** Math.min(10, failedAttempts - FREE_ATTEMPTS - 1));
}

export type SignInResult =
  | { readonly outcome: 'signed-in'; readonly userId: bigint; readonly name: string }
  | { readonly outcome: 'refused' }
  | { readonly outcome: 'locked'; readonly until: Date };

/**
 * Checks a name and password. A locked account is refused without looking
 * at the password, so guessing during a lock learns nothing; an unknown
 * name costs one scrypt like a known one. The failure count is raised in
 * SQL (`failed_attempts + 1`), so concurrent guesses each count.
 */
export async function signIn(prisma: PrismaClient, input: { name: string; password: string; now: Date }): Promise<SignInResult> {
  const user = await prisma.supportUser.findUnique({ where: { name: input.name } });
  if (user?.lockedUntil && user.lockedUntil > input.now) return { outcome: 'locked', until: user.lockedUntil };
  const matches = await verifyPassword(input.password, user?.passwordHash ?? UNKNOWN_USER_HASH);
  if (user === null) return { outcome: 'refused' };
  if (matches) {
    if (user.failedAttempts > 0 || user.lockedUntil !== null) {
      await prisma.supportUser.update({ where: { id: user.id }, data: { failedAttempts: 0, lockedUntil: null } });
    }
    return { outcome: 'signed-in', userId: user.id, name: user.name };
  }
  const updated = await prisma.supportUser.update({ where: { id: user.id }, data: { failedAttempts: { increment: 1 } } });
  const lockMs = lockDuration(updated.failedAttempts);
  if (lockMs > 0) {
    const until = new Date(input.now.getTime() + lockMs);
    await prisma.supportUser.update({ where: { id: user.id }, data: { lockedUntil: until } });
    return { outcome: 'locked', until };
  }
  return { outcome: 'refused' };
}
