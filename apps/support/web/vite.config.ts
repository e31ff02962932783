import { defineConfig } from 'vite';

// The inbox's page script and stylesheet, built into the support app's dist/
// and served by it: no CDN, no runtime dependency, hashed file names.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  logLevel: 'warn',
  build: {
    // Not dist/web: tsc puts src/web's compiled modules there, and this build empties its outDir.
    outDir: '../dist/inbox',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // One small bundle: the inbox has no framework to split out.
    modulePreload: false,
  },
});
