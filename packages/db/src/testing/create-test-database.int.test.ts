import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testServerUrl } from '@wxcs/migrate/testing';
import { createTestDatabase } from './create-test-database.js';

async function databaseNames(): Promise<string[]> {
  const client = new pg.Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return (await client.query<{ datname: string }>('SELECT datname FROM pg_database')).rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

describe('createTestDatabase', () => {
  it('gives each caller its own migrated database and drops it', async () => {
    const [a, b] = await Promise.all([createTestDatabase('fixture a'), createTestDatabase('fixture a')]);
    try {
      expect(a.name).not.toBe(b.name);
      expect(a.name).toMatch(/^wxcs_test_fixture_a_[0-9a-f]{16}$/);
      for (const db of [a, b]) {
        expect(await db.prisma.customerMessage.count()).toBe(0);
        const history = await db.prisma.$queryRaw<{ migration_name: string }[]>`
          SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL`;
        expect(history.length).toBeGreaterThan(0);
      }
      // Databases are independent.
      await a.prisma.$executeRaw`INSERT INTO customer_message (app_id, to_username, from_username, msg_type, msg_info,
        dedup_key, msg_create_time, payload, data_format, received_at)
        VALUES ('a', 't', 'f', 'text', '{}', 'k', now(), '{}', 'json', now())`;
      expect(await b.prisma.customerMessage.count()).toBe(0);
    } finally {
      await a.drop();
      await b.drop();
      await a.drop();
    }
    const names = await databaseNames();
    expect(names).not.toContain(a.name);
    expect(names).not.toContain(b.name);
  });
});
