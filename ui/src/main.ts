import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import type { Backend } from './lib/ipc/backend';
import { FakeBackend } from './lib/ipc/fake';
import { TauriBackend, inTauri } from './lib/ipc/tauri';

// In the Tauri window, the real backend; in a plain browser (`npm run dev`), the in-memory one.
const backend: Backend = inTauri() ? new TauriBackend() : new FakeBackend();

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');

export default mount(App, { target, props: { backend } });
