import type { PrismaClient } from '@wxcs/db';
import { hashPassword } from './password-hash.js';

export interface StaffAccount {
  readonly name: string;
  readonly createdAt: Date;
  readonly lockedUntil: Date | null;
}

/** Adds the account, or sets a new password (and unlocks it) when the name exists. Answers whether it was new. */
export async function saveStaffAccount(prisma: PrismaClient, input: { name: string; password: string; now: Date }): Promise<{ created: boolean }> {
  const passwordHash = await hashPassword(input.password);
  const existing = await prisma.supportUser.findUnique({ where: { name: input.name }, select: { id: true } });
  if (existing) {
    // A new password ends every session made with the old one.
    await prisma.$transaction([
      prisma.supportUser.update({ where: { id: existing.id }, data: { passwordHash, failedAttempts: 0, lockedUntil: null } }),
      prisma.supportSession.deleteMany({ where: { userId: existing.id } }),
    ]);
    return { created: false };
  }
  await prisma.supportUser.create({ data: { name: input.name, passwordHash, createdAt: input.now } });
  return { created: true };
}

/** Removes the account and, by the foreign key's cascade, every session it has. */
export async function removeStaffAccount(prisma: PrismaClient, name: string): Promise<boolean> {
  const { count } = await prisma.supportUser.deleteMany({ where: { name } });
  return count > 0;
}

export async function listStaffAccounts(prisma: PrismaClient): Promise<StaffAccount[]> {
  return prisma.supportUser.findMany({ select: { name: true, createdAt: true, lockedUntil: true }, orderBy: { name: 'asc' } });
}

/** What a reply's sent_by records for a staff member: integrations' token names cannot contain the colon. */
export const staffSender = (name: string) => `staff:${name}`;
