import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { checkDatabase, DatabaseUnavailableError } from './check-database.js';
import { createPrismaClient } from './create-prisma-client.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('check-database');
});
afterAll(() => db.drop());

describe('createPrismaClient and checkDatabase', () => {
  it('reaches a live database through the pg adapter', async () => {
    await expect(checkDatabase(db.prisma)).resolves.toBeUndefined();
    expect(await db.prisma.customerMessage.count()).toBe(0);
  });

  it('reports an unreachable database as DatabaseUnavailableError', async () => {
    const errors: Error[] = [];
    const prisma = createPrismaClient({
      databaseUrl: 'postgresql://postgres@127.0.0.1:1/none',
      poolSize: 1,
      onPoolError: (error) => errors.push(error),
    });
    try {
      const error: unknown = await checkDatabase(prisma, { timeoutMs: 5_000 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as Error).cause).toBeDefined();
    } finally {
      await prisma.$disconnect();
    }
  });

  it('fails the check when the database does not answer in time', async () => {
    // A server that accepts connections and never speaks: the probe must give up, not hang.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const prisma = createPrismaClient({ databaseUrl: `postgresql://postgres@127.0.0.1:${port}/none`, poolSize: 1 });
    try {
      const error: unknown = await checkDatabase(prisma, { timeoutMs: 200 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect(((error as Error).cause as Error).message).toMatch(/no answer within 200 ms/);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
      await prisma.$disconnect().catch(() => undefined);
    }
  });
});
