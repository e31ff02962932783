import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POSTGRES_LOCKFILE, readMigrationList } from './migrations-dir.js';

describe('readMigrationList', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wxcs-migrations-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('lists migration directories in order with their exact text', async () => {
    await writeFile(join(dir, 'migration_lock.toml'), POSTGRES_LOCKFILE);
    for (const name of ['20250102000000_second', '20250101000000_first']) {
      await mkdir(join(dir, name));
      await writeFile(join(dir, name, 'migration.sql'), `-- ${name}\r\nSELECT 1;\n`);
    }
    await writeFile(join(dir, 'README.md'), 'not a migration');
    const list = await readMigrationList(dir);
    expect(list.baseDir).toBe(dir);
    expect(list.lockfile).toEqual({ path: 'migration_lock.toml', content: POSTGRES_LOCKFILE });
    expect(list.migrationDirectories).toEqual([
      {
        path: '20250101000000_first',
        migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: '-- 20250101000000_first\r\nSELECT 1;\n' } },
      },
      {
        path: '20250102000000_second',
        migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: '-- 20250102000000_second\r\nSELECT 1;\n' } },
      },
    ]);
  });

  it('reports a directory without migration.sql to the engine instead of skipping it', async () => {
    await mkdir(join(dir, '20250101000000_empty'));
    const [entry] = (await readMigrationList(dir)).migrationDirectories;
    expect(entry?.migrationFile.content.tag).toBe('error');
  });

  it('reads a missing directory as empty, without a lockfile', async () => {
    const list = await readMigrationList(join(dir, 'absent'));
    expect(list.migrationDirectories).toEqual([]);
    expect(list.lockfile.content).toBeNull();
  });
});
