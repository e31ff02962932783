import type { PrismaClient } from '../generated/prisma/client.js';

export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

/**
 * One round trip to PostgreSQL (`SELECT 1`). Rejects with
 * DatabaseUnavailableError (original error as `cause`). It sets no deadline
 * of its own: a connection that hangs hangs the probe, so every caller bounds
 * it where it decides how long is too long (`checkWithin`, `raceTimeout`).
 */
export async function checkDatabase(prisma: PrismaClient): Promise<void> {
  try {
    await prisma.$queryRaw`SELECT 1`;
  } catch (error) {
    throw new DatabaseUnavailableError('PostgreSQL is not reachable', { cause: error });
  }
}
