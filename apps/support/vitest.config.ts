// This workspace's tests run with every workspace's settings (vitest.package.config.ts at the root),
// and the inbox page's own unit tests beside its sources in web/src.
import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.package.config.js';

export default mergeConfig(base, defineConfig({ test: { include: ['web/src/**/*.test.ts'] } }));
