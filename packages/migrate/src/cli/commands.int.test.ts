import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createScratchDatabases, testServerUrl } from '../testing/index.js';

const run = promisify(execFile);
const PACKAGE_DIR = new URL('../..', import.meta.url);

interface Outcome {
  readonly code: number;
  /** Each log line's `msg`, in order. */
  readonly messages: string[];
}

/** A CLI exactly as `npm run db:migrate` / `db:migration:new` run it (tsx, sources). */
async function command(file: 'migrate' | 'migration-new', databaseUrl: string, ...args: string[]): Promise<Outcome> {
  const messagesOf = (stdout: string) =>
    stdout.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { msg: string }).msg);
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--conditions=source', `src/cli/${file}.ts`, ...args], {
      cwd: PACKAGE_DIR,
      env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, LOG_LEVEL: 'info' },
    });
    return { code: 0, messages: messagesOf(stdout) };
  } catch (error) {
    const failed = error as { stdout: string; code: number };
    return { code: failed.code, messages: messagesOf(failed.stdout) };
  }
}

const scratch = createScratchDatabases();
afterAll(() => scratch.dropAll());

async function appliedMigrations(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT 1 FROM _prisma_migrations WHERE finished_at IS NOT NULL');
    return rows.length;
  } finally {
    await client.end();
  }
}

// Nothing listens on port 1, so every connection is refused at once.
const UNREACHABLE_URL = 'postgresql://postgres@127.0.0.1:1/wechat_cs';

describe('migrate', () => {
  it('creates and migrates DATABASE_URL and exits 0; a second run applies nothing', async () => {
    const { url } = scratch.reserve('cli');

    const first = await command('migrate', url);
    expect(first.code).toBe(0);
    expect(first.messages).toContain('database created');
    expect(first.messages).toContain('migration applied');
    expect(await appliedMigrations(url)).toBeGreaterThan(0);

    const second = await command('migrate', url);
    expect(second.code).toBe(0);
    expect(second.messages).not.toContain('migration applied');
  });

  it('exits 1 on an invalid configuration, saying so', async () => {
    expect(await command('migrate', 'mysql://root@127.0.0.1/wechat_cs')).toEqual({ code: 1, messages: ['invalid configuration'] });
  });

  it('exits 1 when the database cannot be reached', async () => {
    const outcome = await command('migrate', UNREACHABLE_URL);
    expect(outcome.code).toBe(1);
    expect(outcome.messages.at(-1)).toBe('migration failed');
  });
});

describe('migration-new', () => {
  it('--check exits 0 when the checked-in migrations produce schema.prisma', async () => {
    const outcome = await command('migration-new', testServerUrl(), '--check');
    expect(outcome.code).toBe(0);
    expect(outcome.messages).toContain('migrations already match the schema; nothing to create');
  });

  it('exits 1 with the usage when no name is given', async () => {
    const outcome = await command('migration-new', testServerUrl());
    expect(outcome).toEqual({ code: 1, messages: ['usage: npm run db:migration:new -- <name> [--check]'] });
  });

  it('exits 1 when the shadow database cannot be made', async () => {
    const outcome = await command('migration-new', UNREACHABLE_URL, '--check');
    expect(outcome.code).toBe(1);
    expect(outcome.messages.at(-1)).toBe('could not create the migration');
  });
});
