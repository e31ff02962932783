import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the reliability and hostile-input suite
// (test/reliability/*.int.test.ts). Each file starts its own Redis and
// PostgreSQL servers and app processes and drives a few thousand callbacks
// through them, so files run one at a time: in parallel on a 2-core machine
// they would measure each other.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['test/reliability/**/*.int.test.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
