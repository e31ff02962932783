import { defineConfig } from 'vitest/config';

// `source` makes workspace packages resolve to their TypeScript sources, so
// tests never need a prior build.
//
// Integration tests (*.int.test.ts) need the PostgreSQL at TEST_DATABASE_URL
// (default postgresql://postgres@127.0.0.1:5432/postgres). Every file creates
// and drops its own databases, so files run in parallel and runs can overlap.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
