// The real backend: typed commands and events from the generated bindings, plus the window
// title. The dialogs are Rust commands (`pick_*`) and dropped files arrive as `OpenRequested`,
// so that Rust records every path the user chose before the page may ask for it.

import { getCurrentWindow } from '@tauri-apps/api/window';
import type {
  Backend,
  DocumentChanged,
  EditDto,
  GitChangeRef,
  PlanTarget,
  PlaybackChanged,
  PlaybackCommand,
  ProgressChanged,
  ProjectChanged,
  ProjectProgress,
  ReplaceTarget,
  Result,
  SearchQueryDto,
  SettingsDto,
  Unlisten,
  WaveformProgress,
} from './backend';
import { commands, events, type WordListDto } from './bindings';

/** What a dialog command answered: the chosen path, or `null` when cancelled. The command
 * fails only if its thread died, which is logged and treated as a cancel. */
function chosen(result: Result<string | null>): string | null {
  if (result.status === 'ok') return result.data;
  console.error('the dialog failed', result.error);
  return null;
}

export class TauriBackend implements Backend {
  reviewFlags(docId: number, since: number) {
    return commands.reviewFlags(docId, since);
  }
  flagSuggestions(docId: number, word: string) {
    return commands.flagSuggestions(docId, word);
  }
  addKnownWord(docId: number, word: string, list: WordListDto) {
    return commands.addKnownWord(docId, word, list);
  }
  ignoreFlagged(text: string) {
    return commands.ignoreFlagged(text);
  }
  rejectFlag(docId: number, cueId: number, heard: string, name: string) {
    return commands.rejectFlag(docId, cueId, heard, name);
  }
  addGlossaryEntry(docId: number, wrong: string, right: string) {
    return commands.addGlossaryEntry(docId, wrong, right);
  }
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
  applyEdits(docId: number, baseRevision: number, edits: EditDto[]) {
    return commands.applyEdits(docId, baseRevision, edits);
  }
  journalDraft(docId: number, cue: number, text: string) {
    return commands.journalDraft(docId, cue, text);
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
  saveDocumentAs(docId: number, path: string) {
    return commands.saveDocumentAs(docId, path);
  }
  async pickSavePath(defaultPath: string) {
    return chosen(await commands.pickSavePath(defaultPath));
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
    return chosen(await commands.pickFile());
  }

  async pickFolder() {
    return chosen(await commands.pickFolder());
  }

  onCloseRequested(handler: () => void): Promise<Unlisten> {
    return events.closeRequested.listen(() => handler());
  }

  onMenuCommand(handler: (id: string) => void): Promise<Unlisten> {
    return events.menuCommand.listen((e) => handler(e.payload.id));
  }

  audioForDocument(docId: number) {
    return commands.audioForDocument(docId);
  }
  attachAudio(docId: number, path: string) {
    return commands.attachAudio(docId, path);
  }
  detachAudio(docId: number) {
    return commands.detachAudio(docId);
  }
  playback(command: PlaybackCommand) {
    return commands.playback(command);
  }
  playbackState() {
    return commands.playbackState();
  }
  rememberPlace(docId: number, cueIndex: number | null, positionMs: number | null) {
    return commands.rememberPlace(docId, cueIndex, positionMs);
  }
  waveform(startMs: number, endMs: number, columns: number) {
    return commands.waveform(startMs, endMs, columns);
  }
  async pickAudio() {
    return chosen(await commands.pickAudio());
  }
  onPlayback(handler: (e: PlaybackChanged) => void): Promise<Unlisten> {
    return events.playbackChanged.listen((e) => handler(e.payload));
  }
  onWaveformProgress(handler: (e: WaveformProgress) => void): Promise<Unlisten> {
    return events.waveformProgress.listen((e) => handler(e.payload));
  }

  openProject(path: string) {
    return commands.openProject(path);
  }
  projectView() {
    return commands.projectView();
  }
  searchProject(query: SearchQueryDto, generation: number) {
    return commands.searchProject(query, generation);
  }
  planProjectReplace(query: SearchQueryDto, replacement: string) {
    return commands.planProjectReplace(query, replacement);
  }
  planGlossary() {
    return commands.planGlossary();
  }
  setPlanIncluded(planId: number, target: PlanTarget, included: boolean) {
    return commands.setPlanIncluded(planId, target, included);
  }
  applyProjectPlan(planId: number) {
    return commands.applyProjectPlan(planId);
  }
  undoProjectReplace() {
    return commands.undoProjectReplace();
  }
  onProjectProgress(handler: (e: ProjectProgress) => void): Promise<Unlisten> {
    return events.projectProgress.listen((e) => handler(e.payload));
  }
  gitMarks(docId: number, refresh: boolean) {
    return commands.gitMarks(docId, refresh);
  }
  gitChange(docId: number, change: GitChangeRef) {
    return commands.gitChange(docId, change);
  }
  gitRevertCue(docId: number, change: GitChangeRef) {
    return commands.gitRevertCue(docId, change);
  }
  gitStatus(near: string) {
    return commands.gitStatus(near);
  }
  gitCommitMessage(near: string, paths: string[]) {
    return commands.gitCommitMessage(near, paths);
  }
  gitCommit(near: string, paths: string[], message: string) {
    return commands.gitCommit(near, paths, message);
  }
  onProjectChanged(handler: (e: ProjectChanged) => void): Promise<Unlisten> {
    return events.projectChanged.listen((e) => handler(e.payload));
  }

  reviewProgress(docId: number) {
    return commands.reviewProgress(docId);
  }
  toggleChecked(docId: number, cueIndex: number) {
    return commands.toggleChecked(docId, cueIndex);
  }
  nextUnreviewed(docId: number, from: number | null, forward: boolean) {
    return commands.nextUnreviewed(docId, from, forward);
  }
  progressSummaries(paths: string[]) {
    return commands.progressSummaries(paths);
  }
  onProgressChanged(handler: (e: ProgressChanged) => void): Promise<Unlisten> {
    return events.progressChanged.listen((e) => handler(e.payload));
  }

  onOpenRequested(handler: (paths: string[]) => void): Promise<Unlisten> {
    return events.openRequested.listen((e) => handler(e.payload.paths));
  }
}

/** True when running inside the Tauri webview (as opposed to a plain browser or jsdom). */
export function inTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}
