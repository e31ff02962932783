import { defineConfig } from 'vitest/config';

// `npm run test:load`: the sustained load run (minutes long), never part of `npm test`.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['test/reliability/**/*.load.test.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
