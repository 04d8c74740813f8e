/// <reference types="vitest/config" />
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig, type Plugin } from 'vite';

/**
 * The in-memory fake backend (src/fake/) is for `npm run dev` and the component tests only:
 * `vite build` fails if any of its modules reached the product bundle.
 */
export function noFakeInBundle(): Plugin {
  return {
    name: 'cueline-no-fake-in-bundle',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const fake = chunk.moduleIds.filter((id) => /[\\/]src[\\/]fake[\\/]/.test(id));
        if (fake.length > 0) this.error(`the fake backend reached the product bundle (${chunk.fileName}): ${fake.join(', ')}`);
      }
    },
  };
}

export default defineConfig({
  plugins: [svelte(), svelteTesting(), noFakeInBundle()],
  // Tauri loads the built files from its own protocol: relative URLs, an old-enough target
  // for WebKitGTK, and no dev-server port surprises for `tauri dev`.
  base: './',
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { outDir: 'dist', target: 'safari13', emptyOutDir: true },
  test: {
    environment: 'jsdom',
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
  },
});
