// This workspace's tests run with every workspace's settings (vitest.package.config.ts at the root).
//
// Integration tests (*.int.test.ts) need the PostgreSQL at TEST_DATABASE_URL
// (default postgresql://postgres@127.0.0.1:5432/postgres). Every file creates
// and drops its own databases, so files run in parallel and runs can overlap.
export { default } from '../../vitest.package.config.js';
