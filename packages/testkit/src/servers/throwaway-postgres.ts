import { execFile } from 'node:child_process';
import { chown, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { applyMigrations } from '@wxcs/migrate';
import { repositoryMigrationsDir } from '@wxcs/migrate/testing';
import { freePort } from './free-port.js';
import { makeTempDir } from './temp-dir.js';

const run = promisify(execFile);
const PG_BIN = process.env.TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface ThrowawayPostgresOptions {
  /** Database created and migrated on start; default `wxcs`. */
  readonly database?: string;
  /**
   * When set, the `postgres` role gets this password and TCP connections
   * must present it (scram-sha-256), so DATABASE_URL carries a real secret.
   */
  readonly password?: string;
  /** Apply the repository's migrations (default true). */
  readonly migrate?: boolean;
}

/** A private PostgreSQL server in a temp dir on a spare port, for tests that stop or kill the database. */
export interface ThrowawayPostgres {
  /** postgresql:// URL of the migrated database (with the password when one was set). */
  readonly url: string;
  readonly port: number;
  readonly start: () => Promise<void>;
  /** Fast shutdown: sessions are cut, as when the database host goes away. */
  readonly stop: () => Promise<void>;
  /** SIGKILL of the postmaster; the next start runs crash recovery. */
  readonly kill: () => Promise<void>;
  /** Stops the server and removes its directory. */
  readonly dispose: () => Promise<void>;
}

const isRoot = () => process.getuid?.() === 0;

// initdb and postgres refuse to run as root: as root they run as the postgres user.
async function pgCommand(command: string, args: string[]): Promise<void> {
  const [file, argv] = isRoot()
    ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, command), ...args]]
    : [join(PG_BIN, command), args];
  await run(file, argv, { timeout: 60_000 });
}

async function ownedByPostgres(path: string): Promise<void> {
  if (!isRoot()) return;
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  await chown(path, Number(uid.stdout.trim()), Number(gid.stdout.trim()));
}

async function initCluster(dir: string, data: string, password: string | undefined): Promise<void> {
  const args = ['-D', data, '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--auth-local=trust'];
  if (password === undefined) {
    await pgCommand('initdb', [...args, '--auth-host=trust']);
    return;
  }
  const pwfile = join(dir, 'pwfile');
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  await ownedByPostgres(pwfile);
  await pgCommand('initdb', [...args, '--auth-host=scram-sha-256', `--pwfile=${pwfile}`]);
}

export async function startThrowawayPostgres(options: ThrowawayPostgresOptions = {}): Promise<ThrowawayPostgres> {
  const dir = await makeTempDir('pg');
  await ownedByPostgres(dir.path);
  const data = join(dir.path, 'data');
  const port = await freePort();
  await initCluster(dir.path, data, options.password);
  const serverOptions = `-p ${port} -k ${dir.path} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const pgCtl = (...args: string[]) => pgCommand('pg_ctl', ['-D', data, ...args]);
  const start = () => pgCtl('-o', serverOptions, '-l', join(dir.path, 'server.log'), '-w', '-t', '60', 'start');
  const stop = () => pgCtl('-m', 'fast', '-w', 'stop');
  await start();

  const credentials = options.password === undefined ? 'postgres' : `postgres:${encodeURIComponent(options.password)}`;
  const url = `postgresql://${credentials}@127.0.0.1:${port}/${options.database ?? 'wxcs'}`;
  if (options.migrate ?? true) {
    const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };
    await applyMigrations({ databaseUrl: url, migrationsDir: repositoryMigrationsDir(), log: quiet });
  }

  async function kill(): Promise<void> {
    const pid = Number((await readFile(join(data, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    // Backends exit on their own once the postmaster is gone; a start before that fails.
    for (let i = 0; i < 100 && alive(pid); i += 1) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
  }

  return {
    url,
    port,
    start,
    stop,
    kill,
    dispose: async () => {
      await stop().catch(() => undefined);
      await dir.remove();
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
