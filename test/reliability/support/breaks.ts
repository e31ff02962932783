import { fileURLToPath } from 'node:url';
import { createMutant, type CleanupStack, type MutantPatch } from '@wxcs/testkit';
import type { AppName } from '@wxcs/testkit';

/**
 * `RELIABILITY_BREAK=<name>` switches one deliberate breakage on, to show once
 * that a test fails when its guarantee is broken (docs/reliability.md lists
 * them). Unset in every normal run.
 */
export function breakActive(name: string): boolean {
  return (process.env.RELIABILITY_BREAK ?? '').split(',').includes(name);
}

const MUTANTS_DIR = fileURLToPath(new URL('../.mutants', import.meta.url));

/**
 * Where to run `app` from: while the break `name` is active, a copy patched
 * to break it under test/reliability/.mutants (git-ignored, removed at
 * cleanup); otherwise undefined, the app as it is.
 */
export async function appDirForBreak(
  cleanup: CleanupStack,
  app: AppName,
  name: string,
  patches: readonly MutantPatch[],
): Promise<string | undefined> {
  if (!breakActive(name)) return undefined;
  const mutant = await createMutant({ app, name, baseDir: MUTANTS_DIR, patches });
  cleanup.defer(`mutant ${name}`, mutant.remove);
  return mutant.appDir;
}
