// The real backend: typed commands and events from the generated bindings, plus the window
// title, the dialog plugin and drag and drop.

import { getCurrentWebview } from '@tauri-apps/api/webview';
import { getCurrentWindow } from '@tauri-apps/api/window';
import { open } from '@tauri-apps/plugin-dialog';
import type { Backend, DocumentChanged, EditDto, ReplaceTarget, SearchQueryDto, SettingsDto, Unlisten } from './backend';
import { commands, events } from './bindings';

const TRANSCRIPTS = [{ name: 'Transcripts', extensions: ['vtt', 'srt', 'txt'] }];

export class TauriBackend implements Backend {
  initialDocument() {
    return commands.initialDocument();
  }
  initialFolder() {
    return commands.initialFolder();
  }
  openDocument(path: string) {
    return commands.openDocument(path);
  }
  getDocument(docId: number) {
    return commands.getDocument(docId);
  }
  applyEdits(docId: number, edits: EditDto[]) {
    return commands.applyEdits(docId, edits);
  }
  undo(docId: number) {
    return commands.undo(docId);
  }
  redo(docId: number) {
    return commands.redo(docId);
  }
  saveDocument(docId: number) {
    return commands.saveDocument(docId);
  }
  findInDocument(docId: number, query: SearchQueryDto) {
    return commands.findInDocument(docId, query);
  }
  replaceInDocument(docId: number, query: SearchQueryDto, replacement: string, target: ReplaceTarget | null) {
    return commands.replaceInDocument(docId, query, replacement, target);
  }
  openFolder(path: string) {
    return commands.openFolder(path);
  }
  recentFiles() {
    return commands.recentFiles();
  }
  closeDocument(docId: number) {
    return commands.closeDocument(docId);
  }
  reloadTheirs(docId: number) {
    return commands.reloadTheirsDocument(docId);
  }
  keepMine(docId: number) {
    return commands.keepMineDocument(docId);
  }
  compareWithDisk(docId: number) {
    return commands.compareWithDisk(docId);
  }
  recoveryOffer(docId: number) {
    return commands.getRecoveryOffer(docId);
  }
  restoreUnsaved(docId: number) {
    return commands.restoreUnsaved(docId);
  }
  discardUnsaved(docId: number) {
    return commands.discardUnsaved(docId);
  }
  getSettings() {
    return commands.getSettings();
  }
  setSettings(settings: SettingsDto) {
    return commands.setSettings(settings);
  }
  onDocumentChanged(handler: (e: DocumentChanged) => void): Promise<Unlisten> {
    return events.documentChanged.listen((e) => handler(e.payload));
  }
  async forceClose() {
    await commands.forceClose();
  }

  async setTitle(title: string) {
    await getCurrentWindow().setTitle(title);
  }

  async pickFile() {
    const path = await open({ multiple: false, directory: false, filters: TRANSCRIPTS });
    return typeof path === 'string' ? path : null;
  }

  async pickFolder() {
    const path = await open({ multiple: false, directory: true });
    return typeof path === 'string' ? path : null;
  }

  onCloseRequested(handler: () => void): Promise<Unlisten> {
    return events.closeRequested.listen(() => handler());
  }

  onMenuCommand(handler: (id: string) => void): Promise<Unlisten> {
    return events.menuCommand.listen((e) => handler(e.payload.id));
  }

  onDrop(handler: (paths: string[]) => void): Promise<Unlisten> {
    return getCurrentWebview().onDragDropEvent((e) => {
      if (e.payload.type === 'drop' && e.payload.paths.length > 0) handler(e.payload.paths);
    });
  }
}

/** True when running inside the Tauri webview (as opposed to a plain browser or jsdom). */
export function inTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}
