// This workspace's tests run with every workspace's settings (vitest.package.config.ts at the root).
export { default } from '../../vitest.package.config.js';
