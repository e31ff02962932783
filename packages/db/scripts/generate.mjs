// `npm run generate`: `prisma generate` that works offline.
//
// Prisma's CLI insists on having its schema-engine binary before it runs any
// command, downloading it if missing; `generate` never executes it. Pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file (here: this Node binary)
// skips the download, so generation works without network access. An
// explicit PRISMA_SCHEMA_ENGINE_BINARY from the environment wins.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const prismaCli = join(dirname(createRequire(import.meta.url).resolve('prisma/package.json')), 'build', 'index.js');

const result = spawnSync(process.execPath, [prismaCli, 'generate', ...process.argv.slice(2)], {
  cwd: repositoryRoot, // prisma.config.ts lives there
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath },
});
if (result.error) throw result.error;
process.exitCode = result.status ?? 1;
