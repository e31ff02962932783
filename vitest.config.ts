import { configDefaults, defineConfig } from 'vitest/config';

// Repository-level tests (deployment files). The reliability suite has its
// own configs (vitest.faults.config.ts, vitest.load.config.ts): its files
// must run one at a time.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: { include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/reliability/**'] },
});
