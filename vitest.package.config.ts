import { defineConfig } from 'vitest/config';

// Every workspace's own tests (`npm test` in apps/* and packages/*), each
// workspace's vitest.config.ts re-exporting this. `source` makes workspace
// packages resolve to their TypeScript sources, so tests never need a prior
// build. Integration tests (*.int.test.ts) use the machine's Redis and
// PostgreSQL under names of their own, so files run in parallel.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for something another process or a browser does. On a CI machine running
    // every workspace's tests at once that can take over vitest's default second (a first bull-board
    // render did): wait as long as the browser tests' locators do.
    expect: { poll: { timeout: 10_000 } },
  },
});
