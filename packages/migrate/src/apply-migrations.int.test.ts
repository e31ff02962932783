import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createRecordingLog,
  createScratchDatabases,
  repositoryMigrationsDir,
  repositorySchemaPath,
  testServerUrl,
} from './testing/index.js';
import { applyMigrations } from './apply-migrations.js';
import { findSchemaDrift } from './find-schema-drift.js';
import { MigrationError } from './migration-error.js';
import { RUNNER_LOCK_KEY } from './runner-lock.js';

const scratch = createScratchDatabases();
afterAll(() => scratch.dropAll());

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

const databaseExists = async (name: string) =>
  (await query(testServerUrl(), 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).length === 1;

/** Everything a migration could change, in a comparable form. */
async function snapshot(url: string) {
  return {
    history: await query(url, 'SELECT * FROM _prisma_migrations ORDER BY migration_name'),
    columns: await query(
      url,
      `SELECT table_name, column_name, data_type, is_nullable, column_default, datetime_precision
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
    ),
    indexes: await query(url, `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`),
  };
}

/** The checked-in migrations in the order they apply. */
async function checkedInMigrations() {
  const names = (await readdir(repositoryMigrationsDir(), { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  if (names.length === 0) throw new Error('no migration checked in');
  return Promise.all(
    names.map(async (name) => ({ name, sql: await readFile(join(repositoryMigrationsDir(), name, 'migration.sql'), 'utf8') })),
  );
}

const namesOf = (migrations: readonly { name: string }[]) => migrations.map((migration) => migration.name);

async function copyOfMigrations(extra: Record<string, string> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'wxcs-apply-'));
  await cp(repositoryMigrationsDir(), dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    await mkdir(join(dir, name));
    await writeFile(join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

describe('applyMigrations', () => {
  it('creates a missing database, migrates it, and a second run changes nothing', async () => {
    const { name, url } = scratch.reserve('apply');
    const migrations = await checkedInMigrations();
    const log = createRecordingLog();

    expect(await databaseExists(name)).toBe(false);
    expect(await applyMigrations({ databaseUrl: url, migrationsDir: repositoryMigrationsDir(), log })).toEqual({
      applied: namesOf(migrations),
    });
    expect(await databaseExists(name)).toBe(true);
    expect(log.lines.map((line) => line.message)).toEqual(
      expect.arrayContaining(['database created', 'migration applied']),
    );

    const before = await snapshot(url);
    expect(before.columns.length).toBeGreaterThan(20);
    expect(await applyMigrations({ databaseUrl: url, migrationsDir: repositoryMigrationsDir(), log })).toEqual({
      applied: [],
    });
    expect(await snapshot(url)).toEqual(before);
  });

  it('records history exactly like prisma migrate deploy', async () => {
    const { url } = scratch.reserve('history');
    const migrations = await checkedInMigrations();
    await applyMigrations({ databaseUrl: url, migrationsDir: repositoryMigrationsDir(), log: createRecordingLog() });

    const rows = await query(url, 'SELECT * FROM _prisma_migrations ORDER BY migration_name');
    expect(rows).toHaveLength(migrations.length);
    for (const [index, row] of rows.entries()) {
      const migration = migrations[index];
      expect(row).toMatchObject({
        migration_name: migration?.name,
        checksum: createHash('sha256')
          .update(migration?.sql ?? '')
          .digest('hex'),
        logs: null,
        rolled_back_at: null,
        applied_steps_count: 1,
      });
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect((row.finished_at as Date).getTime()).toBeGreaterThanOrEqual((row.started_at as Date).getTime());
    }

    // The table Prisma's CLI would create, column for column.
    expect(
      await query(
        url,
        `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
      ),
    ).toEqual([
      { column_name: 'id', data_type: 'character varying', character_maximum_length: 36, is_nullable: 'NO', column_default: null },
      { column_name: 'checksum', data_type: 'character varying', character_maximum_length: 64, is_nullable: 'NO', column_default: null },
      { column_name: 'finished_at', data_type: 'timestamp with time zone', character_maximum_length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'migration_name', data_type: 'character varying', character_maximum_length: 255, is_nullable: 'NO', column_default: null },
      { column_name: 'logs', data_type: 'text', character_maximum_length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', character_maximum_length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'started_at', data_type: 'timestamp with time zone', character_maximum_length: null, is_nullable: 'NO', column_default: 'now()' },
      { column_name: 'applied_steps_count', data_type: 'integer', character_maximum_length: null, is_nullable: 'NO', column_default: '0' },
    ]);
  });

  it('leaves no drift between the migrated database and schema.prisma', async () => {
    const { url } = scratch.reserve('drift');
    await applyMigrations({ databaseUrl: url, migrationsDir: repositoryMigrationsDir(), log: createRecordingLog() });
    expect(await findSchemaDrift({ databaseUrl: url, schemaPath: repositorySchemaPath(), log: createRecordingLog() })).toBeNull();
  });

  it('lets two runners race on a missing database: created once, migrated once', async () => {
    const { url } = scratch.reserve('race');
    const names = namesOf(await checkedInMigrations());
    const run = () =>
      applyMigrations({ databaseUrl: url, migrationsDir: repositoryMigrationsDir(), log: createRecordingLog() });
    const results = await Promise.all([run(), run()]);
    // One runner applies everything, the other finds nothing left.
    expect(results.map((result) => result.applied).sort((a, b) => b.length - a.length)).toEqual([names, []]);
    expect(await query(url, 'SELECT migration_name FROM _prisma_migrations ORDER BY 1')).toEqual(
      names.map((migration_name) => ({ migration_name })),
    );
  });

  it('waits for a runner holding the lock, and gives up after the timeout', async () => {
    const { url } = scratch.reserve('lock');
    await applyMigrations({ databaseUrl: url, migrationsDir: repositoryMigrationsDir(), log: createRecordingLog() });
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [RUNNER_LOCK_KEY]);
      await expect(
        applyMigrations({ databaseUrl: url, migrationsDir: repositoryMigrationsDir(), log: createRecordingLog(), lockTimeoutMs: 200 }),
      ).rejects.toThrow(/Timed out after 200 ms waiting for another migration runner/);

      const log = createRecordingLog();
      const waiting = applyMigrations({ databaseUrl: url, migrationsDir: repositoryMigrationsDir(), log });
      await expect.poll(() => log.lines.some((line) => line.message.includes('waiting')), { timeout: 5_000 }).toBe(true);
      await holder.query('SELECT pg_advisory_unlock($1)', [RUNNER_LOCK_KEY]);
      expect(await waiting).toEqual({ applied: [] });
    } finally {
      await holder.end();
    }
  });

  it('applies a script whole: semicolons in strings and function bodies survive', async () => {
    const { url } = scratch.reserve('script');
    const dir = await copyOfMigrations({
      '99990101000000_semicolons': [
        `COMMENT ON TABLE "customer_message" IS 'callbacks; one row per message';`,
        `CREATE FUNCTION wxcs_two() RETURNS int LANGUAGE plpgsql AS $$ BEGIN PERFORM 1; RETURN 2; END; $$;`,
      ].join('\n'),
    });
    try {
      const { applied } = await applyMigrations({ databaseUrl: url, migrationsDir: dir, log: createRecordingLog() });
      expect(applied).toEqual([...namesOf(await checkedInMigrations()), '99990101000000_semicolons']);
      expect(await query(url, `SELECT obj_description('customer_message'::regclass) AS comment, wxcs_two() AS two`)).toEqual([
        { comment: 'callbacks; one row per message', two: 2 },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rolls a failing migration back entirely and then refuses to continue (P3009)', async () => {
    const { url } = scratch.reserve('failing');
    const dir = await copyOfMigrations({
      '99990101000000_broken': 'CREATE TABLE wxcs_half (id int);\nSELECT no_such_function();\n',
    });
    try {
      const error: unknown = await applyMigrations({ databaseUrl: url, migrationsDir: dir, log: createRecordingLog() }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toContain('no_such_function');
      expect(await query(url, `SELECT to_regclass('wxcs_half') AS half`)).toEqual([{ half: null }]);
      expect(await query(url, `SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY 1`)).toEqual([
        ...namesOf(await checkedInMigrations()).map((migration_name) => ({
          migration_name,
          finished_at: expect.any(Date) as unknown,
        })),
        { migration_name: '99990101000000_broken', finished_at: null },
      ]);

      await expect(
        applyMigrations({ databaseUrl: url, migrationsDir: dir, log: createRecordingLog() }),
      ).rejects.toMatchObject({ name: 'MigrationError', code: 'P3009' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a missing migrations directory', async () => {
    const { url, name } = scratch.reserve('nodir');
    await expect(
      applyMigrations({ databaseUrl: url, migrationsDir: join(tmpdir(), 'wxcs-no-such-dir'), log: createRecordingLog() }),
    ).rejects.toThrow(/Migrations directory not found/);
    expect(await databaseExists(name)).toBe(false);
  });
});
