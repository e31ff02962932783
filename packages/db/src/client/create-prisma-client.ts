import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';

export type { PrismaClient } from '../generated/prisma/client.js';

export interface CreatePrismaClientOptions {
  readonly databaseUrl: string;
  /** Connections in the pg pool; the worker sizes it to its concurrency. */
  readonly poolSize: number;
  /** Errors of idle pooled connections (e.g. the server restarted); they are replaced on next use. */
  readonly onPoolError?: (error: Error) => void;
}

/**
 * A Prisma client over node-postgres through @prisma/adapter-pg: no query
 * engine binary to download or ship. Connects lazily; `$disconnect()` closes
 * the pool.
 */
export function createPrismaClient(options: CreatePrismaClientOptions): PrismaClient {
  const adapter = new PrismaPg(
    { connectionString: options.databaseUrl, max: options.poolSize },
    options.onPoolError ? { onPoolError: options.onPoolError } : undefined,
  );
  return new PrismaClient({ adapter });
}
