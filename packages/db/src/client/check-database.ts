import type { PrismaClient } from '../generated/prisma/client.js';

export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

/**
 * Readiness check: one round trip to PostgreSQL, bounded so a hung
 * connection fails the probe instead of hanging it. Rejects with
 * DatabaseUnavailableError (original error as `cause`).
 */
export async function checkDatabase(prisma: PrismaClient, options: { timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([prisma.$queryRaw`SELECT 1`, timeout]);
  } catch (error) {
    throw new DatabaseUnavailableError('PostgreSQL is not reachable', { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
