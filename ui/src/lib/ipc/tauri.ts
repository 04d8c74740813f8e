// The real backend: typed commands from the generated bindings, plus the window title.

import { getCurrentWindow } from '@tauri-apps/api/window';
import type { Backend } from './backend';
import { commands } from './bindings';

export class TauriBackend implements Backend {
  initialDocument() {
    return commands.initialDocument();
  }

  openDocument(path: string) {
    return commands.openDocument(path);
  }

  async setTitle(title: string) {
    await getCurrentWindow().setTitle(title);
  }
}

/** True when running inside the Tauri webview (as opposed to a plain browser or jsdom). */
export function inTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}
