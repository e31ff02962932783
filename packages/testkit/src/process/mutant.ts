import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPOSITORY_ROOT, type AppName } from './app-process.js';

export interface MutantPatch {
  /** Path under the app directory, e.g. `src/processors/failures.ts`. */
  readonly file: string;
  readonly find: string;
  readonly replace: string;
}

export interface Mutant {
  /** Pass as `appDir` to startAppProcess. */
  readonly appDir: string;
  readonly remove: () => Promise<void>;
}

/**
 * A patched copy of an app, for showing once that a test fails when the
 * guarantee it checks is broken, without ever touching apps/**. The copy
 * lives under `baseDir` inside the repository so its imports still resolve
 * through the root node_modules. A patch that no longer matches throws, so a
 * demonstration can never silently run the unbroken code.
 */
export async function createMutant(p: {
  app: AppName;
  name: string;
  baseDir: string;
  patches: readonly MutantPatch[];
}): Promise<Mutant> {
  const appDir = join(p.baseDir, `${p.app}-${p.name}`);
  const source = join(REPOSITORY_ROOT, 'apps', p.app);
  await rm(appDir, { recursive: true, force: true });
  await cp(join(source, 'src'), join(appDir, 'src'), { recursive: true });
  await cp(join(source, 'package.json'), join(appDir, 'package.json'));
  for (const patch of p.patches) {
    const path = join(appDir, patch.file);
    const text = await readFile(path, 'utf8');
    if (!text.includes(patch.find)) throw new Error(`mutant ${p.name}: ${patch.file} no longer contains ${JSON.stringify(patch.find)}`);
    await writeFile(path, text.replace(patch.find, patch.replace));
  }
  return { appDir, remove: () => rm(appDir, { recursive: true, force: true }) };
}
