// @vitest-environment node
// The product bundle (what `vite build` writes to dist/ and Tauri embeds) holds no module of the
// in-memory fake backend (src/fake/): main.ts loads it only in `npm run dev`, and the build's
// guard (vite.config.ts) refuses a bundle that has it.
import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

async function bundle(input?: string): Promise<Rolldown.OutputChunk[]> {
  // Vitest runs with NODE_ENV=test, which would make `import.meta.env.DEV` true in the build.
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  const out = await build({
    root,
    configFile: `${root}/vite.config.ts`,
    logLevel: 'silent',
    build: { write: false, emptyOutDir: false, ...(input ? { rollupOptions: { input } } : {}) },
  }).finally(() => {
    process.env.NODE_ENV = env;
  });
  const outputs = (Array.isArray(out) ? out : [out]) as Rolldown.RolldownOutput[];
  return outputs.flatMap((o) => o.output.filter((c): c is Rolldown.OutputChunk => c.type === 'chunk'));
}

describe('the product bundle', () => {
  it('has the app and none of the fake backend', async () => {
    const chunks = await bundle();
    const modules = chunks.flatMap((c) => c.moduleIds);
    expect(modules.some((id) => id.endsWith('/src/App.svelte'))).toBe(true);
    expect(modules.some((id) => id.endsWith('/src/lib/ipc/tauri.ts'))).toBe(true);
    expect(modules.filter((id) => id.includes('/src/fake/'))).toEqual([]);
    expect(chunks.some((c) => c.code.includes('Harbor Lights'))).toBe(false);
  }, 60_000);

  it('is refused when something imports the fake', async () => {
    await expect(bundle(`${root}/src/fake/backend.ts`)).rejects.toThrow(/fake backend reached the product bundle/);
  }, 60_000);
});
