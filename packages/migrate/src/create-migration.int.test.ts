import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createRecordingLog,
  createScratchDatabases,
  repositoryMigrationsDir,
  repositorySchemaPath,
  testServerUrl,
} from './testing/index.js';
import { applyMigrations } from './apply-migrations.js';
import { createMigration } from './create-migration.js';
import { findSchemaDrift } from './find-schema-drift.js';
import { POSTGRES_LOCKFILE } from './migrations-dir.js';

let workDir: string;
const scratch = createScratchDatabases();
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'wxcs-create-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
  await scratch.dropAll();
});

// Every shadow database a test made (the log names them) is gone afterwards.
const logs: ReturnType<typeof createRecordingLog>[] = [];
afterEach(async () => {
  const shadows = logs
    .splice(0)
    .flatMap((log) => log.lines)
    .filter((line) => line.message === 'shadow database created')
    .map((line) => String(line.fields.database));
  const client = new pg.Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [shadows]);
    expect(rows).toEqual([]);
  } finally {
    await client.end();
  }
});

function options(migrationsDir: string, schemaPath = repositorySchemaPath()) {
  const log = createRecordingLog();
  logs.push(log);
  return { databaseUrl: testServerUrl(), migrationsDir, schemaPath, log };
}

const directories = async (dir: string) =>
  (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

/** schema.prisma with only the named models: the schema an earlier migration was made from. */
function withModelsOnly(schema: string, keep: readonly string[]): string {
  // A block's lines are indented or empty until the closing brace at the start of a line.
  return schema.replace(/(?:\/\/\/[^\n]*\n)*model (\w+) \{\n(?:(?: [^\n]*)?\n)*\}\n?/g, (block, name: string) =>
    keep.includes(name) ? block : '',
  );
}

describe('createMigration', () => {
  it('finds nothing to do: the checked-in migrations produce exactly schema.prisma', async () => {
    const check = options(repositoryMigrationsDir());
    const result = await createMigration({ ...check, name: 'check', dryRun: true });
    expect(result).toEqual({ migrationName: null, script: null, path: null });
    // The history was replayed on a shadow database (dropped again: see afterEach).
    expect(check.log.lines.filter((line) => line.message.startsWith('shadow database')).map((line) => line.message)).toEqual([
      'shadow database created',
      'shadow database dropped',
    ]);
  });

  it('writes the first migration and lockfile byte for byte as checked in', async () => {
    const dir = join(workDir, 'fresh');
    const schemaPath = join(workDir, 'init.prisma');
    const schema = await readFile(repositorySchemaPath(), 'utf8');
    await writeFile(schemaPath, withModelsOnly(schema, ['CustomerMessage']));
    const result = await createMigration({ ...options(dir, schemaPath), name: 'init', now: new Date('2025-01-01T00:00:00Z') });
    expect(result.migrationName).toBe('20250101000000_init');

    const [checkedIn] = await directories(repositoryMigrationsDir());
    expect(checkedIn).toMatch(/^\d{14}_init$/);
    const expected = await readFile(join(repositoryMigrationsDir(), checkedIn ?? '', 'migration.sql'), 'utf8');
    expect(await readFile(join(dir, '20250101000000_init', 'migration.sql'), 'utf8')).toBe(expected);
    expect(await readFile(join(dir, 'migration_lock.toml'), 'utf8')).toBe(POSTGRES_LOCKFILE);
    expect(await readFile(join(repositoryMigrationsDir(), 'migration_lock.toml'), 'utf8')).toBe(POSTGRES_LOCKFILE);
  });

  it('writes the next migration for a changed schema, and nothing once it is captured', async () => {
    const dir = join(workDir, 'changed');
    await cp(repositoryMigrationsDir(), dir, { recursive: true });
    const checkedIn = (await directories(dir)).length;
    const schemaPath = join(workDir, 'schema.prisma');
    const schema = await readFile(repositorySchemaPath(), 'utf8');
    const changed = schema.replace(/(\n\s*deleteTime[^\n]*\n)/, '$1  note String?\n');
    expect(changed).not.toBe(schema);
    await writeFile(schemaPath, changed);

    const dryRun = await createMigration({ ...options(dir, schemaPath), name: 'Add note', dryRun: true });
    expect(dryRun.path).toBeNull();
    expect(await directories(dir)).toHaveLength(checkedIn);

    const result = await createMigration({ ...options(dir, schemaPath), name: 'Add note' });
    expect(result.migrationName).toMatch(/^\d{14}_add_note$/);
    expect(result.script).toBe(dryRun.script);
    expect(await readFile(result.path ?? '', 'utf8')).toContain('ALTER TABLE "customer_message" ADD COLUMN     "note" TEXT;');
    expect((await directories(dir)).sort().at(-1)).toBe(result.migrationName);

    const again = await createMigration({ ...options(dir, schemaPath), name: 'again' });
    expect(again.migrationName).toBeNull();
    expect(await directories(dir)).toHaveLength(checkedIn + 1);

    // The new history migrates a database to the changed schema without drift.
    const { url } = scratch.reserve('created');
    expect((await applyMigrations({ databaseUrl: url, migrationsDir: dir, log: createRecordingLog() })).applied).toHaveLength(
      checkedIn + 1,
    );
    expect(await findSchemaDrift({ databaseUrl: url, schemaPath, log: createRecordingLog() })).toBeNull();
    expect(await findSchemaDrift({ databaseUrl: url, schemaPath: repositorySchemaPath(), log: createRecordingLog() })).toContain(
      'DROP COLUMN "note"',
    );
  });

  it('refuses a name without letters or digits before touching anything', async () => {
    await expect(createMigration({ ...options(join(workDir, 'never')), name: '--' })).rejects.toThrow(/letters or digits/);
  });
});
