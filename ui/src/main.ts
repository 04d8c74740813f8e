import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import type { Backend } from './lib/ipc/backend';
import { TauriBackend, inTauri } from './lib/ipc/tauri';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');
const app = target;

function start(backend: Backend) {
  mount(App, { target: app, props: { backend } });
}

// In the Tauri window, the real backend, mounted at once. In a plain browser (`npm run dev`), the
// in-memory fake of src/fake/, loaded on demand: `import.meta.env.DEV` is false in `vite build`,
// so the fake is not in the product bundle at all (vite.config.ts fails the build if it is).
if (inTauri()) start(new TauriBackend());
else if (import.meta.env.DEV) {
  void import('./fake/backend').then(({ FakeBackend }) => {
    const fake = new FakeBackend();
    fake.realTime();
    start(fake);
  });
} else {
  app.textContent = 'Cueline runs in its desktop window (cueline-desktop). For the UI in a browser, use `npm run dev`.';
}
