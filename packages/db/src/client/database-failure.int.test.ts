import { describe, expect } from 'vitest';
import { databaseTest, type TestDatabase } from '../testing/index.js';
import { checkDatabase } from './check-database.js';
import { createPrismaClient } from './create-prisma-client.js';
import { classifyDatabaseError, type DatabaseFailure } from './database-failure.js';

const test = databaseTest('database-failure');

async function failureOf(query: () => Promise<unknown>): Promise<DatabaseFailure> {
  try {
    await query();
  } catch (error) {
    return classifyDatabaseError(error);
  }
  throw new Error('the query succeeded');
}

const raising = (db: TestDatabase, sqlState: string) => () =>
  db.prisma.$executeRawUnsafe(`DO $$ BEGIN RAISE EXCEPTION 'raised %', '${sqlState}' USING ERRCODE = '${sqlState}'; END $$`);

// Raised by PostgreSQL itself, so each one reaches the classifier in the shape the adapter really gives it.
const EXPECTED: Record<string, DatabaseFailure['kind']> = {
  '22P05': 'rejected',
  '22P02': 'rejected',
  '22001': 'rejected',
  '23505': 'rejected',
  '23502': 'rejected',
  '42601': 'rejected',
  '54000': 'rejected',
  '0A000': 'rejected',
  '08006': 'unavailable',
  '53100': 'unavailable',
  '53300': 'unavailable',
  '57P01': 'unavailable',
  '57P03': 'unavailable',
  '25006': 'unavailable',
  '42P01': 'unavailable',
  '40001': 'transient',
  '40P01': 'transient',
  '57014': 'transient',
  '55P03': 'transient',
  XX000: 'transient',
  P0001: 'transient',
};

describe('classifyDatabaseError', () => {
  test.for(Object.entries(EXPECTED))('SQLSTATE %s is %s', async ([sqlState, kind], { db }) => {
    const failure = await failureOf(raising(db, sqlState));
    expect(failure).toMatchObject({ kind, sqlState, message: `raised ${sqlState}` });
  });

  test('rejects what PostgreSQL cannot hold, with its own message', async ({ db }) => {
    const failure = await failureOf(() => db.prisma.$queryRaw`SELECT ${'a\u0000b'}::jsonb`);
    expect(failure.kind).toBe('rejected');
    expect(failure.sqlState?.startsWith('22')).toBe(true);
  });

  test('reports a missing table, as before migrations, as unavailable rather than a rejected row', async ({ db }) => {
    expect(await failureOf(() => db.prisma.$queryRawUnsafe('SELECT * FROM no_such_table'))).toMatchObject({ kind: 'unavailable', sqlState: '42P01' });
  });

  test('reports a server nobody listens on, and a failed checkDatabase, as unavailable', async () => {
    // Port 1 is privileged: nothing a test run starts listens there.
    const nowhere = createPrismaClient({ databaseUrl: 'postgresql://postgres@127.0.0.1:1/nowhere', poolSize: 1 });
    try {
      expect((await failureOf(() => nowhere.$queryRaw`SELECT 1`)).kind).toBe('unavailable');
      expect((await failureOf(() => checkDatabase(nowhere))).kind).toBe('unavailable');
    } finally {
      await nowhere.$disconnect();
    }
  });

  test('calls anything else transient', () => {
    expect(classifyDatabaseError(new Error('insert did not finish within 15000 ms'))).toEqual({
      kind: 'transient',
      message: 'insert did not finish within 15000 ms',
    });
    expect(classifyDatabaseError(undefined).kind).toBe('transient');
  });
});
