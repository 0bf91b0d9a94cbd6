/**
 * The web app's build (docs/web.md): Vite with Preact's JSX through esbuild — no Babel. The output
 * goes to web/dist (git-ignored), which api/web.ts serves. The pages import the one message
 * catalogue and the reference tables from ../domain, so the root above web/ is allowed.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  logLevel: 'warn',
});
