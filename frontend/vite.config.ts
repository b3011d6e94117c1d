/// <reference types="vitest/config" />
/// <reference types="node" />
import { defineConfig, type Plugin } from 'vite';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// A small Vite plugin: at build time, writes dist/sw.js from sw.template.js
// with the list of the built files (the app shell) and a version made from
// their names, so a new build replaces the old shell.
function serviceWorker(template: string): Plugin {
  return {
    name: 'brug-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((f) => !f.endsWith('.map') && f !== 'index.html')
        .map((f) => '/' + f)
        .sort();
      const shell = [...files, '/favicon.svg', '/manifest.webmanifest'];
      const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 12);
      const source = readFileSync(template, 'utf8')
        .replace("'__VERSION__'", JSON.stringify(version))
        .replace('__SHELL__', JSON.stringify(shell));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

export default defineConfig({
  plugins: [svelte(), serviceWorker('src/lib/offline/sw.template.js')],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Separate CSS files: the server's CSP allows no inline styles.
    cssCodeSplit: true,
    assetsInlineLimit: 0,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/healthz': 'http://127.0.0.1:8080',
      '/readyz': 'http://127.0.0.1:8080',
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
