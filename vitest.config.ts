import { defineConfig } from 'vitest/config';

// Repository-level tests (deployment files); each workspace has its own config.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: { include: ['test/**/*.test.ts'] },
});
