import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { applyMigrations } from '@wxcs/db/migrate';
import { freePort } from '@wxcs/testkit';

const run = promisify(execFile);
const PG_BIN = process.env.TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface ThrowawayPostgres {
  /** postgresql:// URL of `database` on this server. */
  readonly url: string;
  readonly port: number;
  readonly start: () => Promise<void>;
  /** Fast shutdown: open connections are cut, as when a database host goes away. */
  readonly stop: () => Promise<void>;
  readonly destroy: () => Promise<void>;
}

// initdb and postgres refuse to run as root: as root, run them as the postgres user.
async function handDirToPostgres(dir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  await chown(dir, Number(uid.stdout.trim()), Number(gid.stdout.trim()));
}

function asPostgres(command: string, args: string[]): [string, string[]] {
  const isRoot = process.getuid?.() === 0;
  return isRoot ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, command), ...args]] : [join(PG_BIN, command), args];
}

async function pg(command: string, args: string[]): Promise<void> {
  const [file, argv] = asPostgres(command, args);
  await run(file, argv, { timeout: 60_000 });
}

/**
 * A private PostgreSQL server in a temp dir on a spare port, for tests that
 * stop or restart the database: they must never touch the shared one.
 */
export async function startThrowawayPostgres(database = 'wxcs_test'): Promise<ThrowawayPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'wxcs-pg-'));
  await handDirToPostgres(dir);
  const data = join(dir, 'data');
  const port = await freePort();
  await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  const start = () => pg('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start']);
  const stop = () => pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  await start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/${database}`,
    port,
    start,
    stop,
    destroy: async () => {
      await stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const MIGRATIONS_DIR = fileURLToPath(new URL('../../../../prisma/migrations', import.meta.url));

/** Creates the database and applies the repository's migrations, as `npm run db:migrate` does. */
export async function migrate(databaseUrl: string): Promise<void> {
  const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };
  await applyMigrations({ databaseUrl, migrationsDir: MIGRATIONS_DIR, log: quiet });
}
