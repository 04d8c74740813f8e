// An in-memory backend for component tests and for running the UI in a plain browser
// (`npm run dev`). It answers like the Rust side of docs/editor-ipc-contract.md, including its
// typed errors: edits as one undo step each call, revision, dirty, undo/redo, find/replace.
// It is deliberately small: no file system, simple text maths.

import type {
  AudioView,
  Backend,
  CompareRowDto,
  CueDto,
  DocumentChanged,
  DocumentView,
  EditDto,
  FindHit,
  FlagsView,
  ListChanged,
  WordListDto,
  FolderView,
  GitChangeDto,
  GitChangeRef,
  GitCommitDto,
  GitFileDto,
  GitMarksDto,
  GitStatusDto,
  IpcError,
  RecoveryOffer,
  ReplaceTarget,
  Result,
  SearchQueryDto,
  PlaybackChanged,
  PlaybackCommand,
  PlanDto,
  PlanTarget,
  ProgressChanged,
  ProgressSummary,
  ProgressView,
  ProjectChangeDto,
  ProjectChanged,
  ProjectProgress,
  ProjectSearchDto,
  ProjectView,
  SettingsDto,
  Unlisten,
  WaveformDto,
  WaveformProgress,
} from '../lib/ipc/backend';
import { IDLE_PLAYBACK } from '../lib/state/player.svelte';
import { FakeProgress } from './progress';
import * as project from './project';
import type { FakeGlossaryEntry, FakePlan, ProjectFile } from './project';
import { compareCues, headOf, markOf, wordRuns, type FakeHeadCue } from './git';

type Doc = {
  view: DocumentView;
  /** Cue lists before each applied step (undo) and after each undone one (redo). */
  undo: { cues: CueDto[]; state: number }[];
  redo: { cues: CueDto[]; state: number }[];
  /** Identity of the current content (undo returns to an earlier one); `revision` only grows. */
  state: number;
  savedState: number;
  conflict?: boolean;
};

const ok = <T>(data: T): Result<T> => ({ status: 'ok', data });
const err = <T>(error: IpcError): Result<T> => ({ status: 'error', error });

export class FakeBackend implements Backend {
  /** Documents by path, as they were loaded. */
  readonly files = new Map<string, DocumentView>();
  /** Titles set so far, newest last. */
  readonly titles: string[] = [];
  /** Calls so far, for assertions: `name` or `name <json args>`. */
  readonly calls: string[] = [];
  /** Every `applyEdits` batch, in order. */
  readonly edits: EditDto[][] = [];
  /** Every journaled draft, in order: [docId, cue index, text]. */
  readonly journaledDrafts: [number, number, string][] = [];
  /** Folders by root, for `openFolder`. */
  readonly folders = new Map<string, FolderView>();
  recent: string[] = [];
  initialFolderView: FolderView | null = null;
  /** What the open dialogs answer. */
  pickedFile: string | null = null;
  pickedFolder: string | null = null;
  pickedSavePath: string | null = null;
  /** Paths whose next save fails with `Conflict` (the file changed on disk). */
  readonly conflicts = new Set<string>();
  /** A delay before each answer, to observe in-flight states (e.g. `Saving…`). */
  latencyMs = 0;
  forceClosed = false;
  settings: SettingsDto = { autosave: true, skipMs: 2000, autoRewindMs: 1000, keyBindings: {}, spellingLanguage: 'en_US' };
  /** Audio files by transcript path (what "beside it" finds), and their durations. */
  readonly audioBeside = new Map<string, string>();
  readonly audioDurations = new Map<string, number>();
  /** What the audio open dialog answers. */
  pickedAudio: string | null = null;
  /** Places remembered by `rememberPlace`, by document id. */
  readonly places = new Map<number, { cueIndex: number | null; positionMs: number | null }>();
  /** The fake transport: it moves only when a test calls `advance` (or in real time in a browser). */
  playbackNow: PlaybackChanged = { ...IDLE_PLAYBACK };
  private realTimer: ReturnType<typeof setInterval> | null = null;
  /** Texts of the file "on disk" by path, when it changed outside the editor (for conflicts). */
  readonly disk = new Map<string, string[]>();
  /** Crash-journal offers by path: opening that path reports `recoveryPending`. */
  readonly recoveries = new Map<string, { changedOnDisk: boolean; mine: string[] }>();

  private readonly docs = new Map<number, Doc>();
  private nextDocId = 1;
  private nextCueId = 100_000;
  private nextState = 0;
  private readonly listeners = {
    close: new Set<() => void>(),
    menu: new Set<(id: string) => void>(),
    openRequested: new Set<(paths: string[]) => void>(),
    changed: new Set<(e: DocumentChanged) => void>(),
    playback: new Set<(e: PlaybackChanged) => void>(),
    waveform: new Set<(e: WaveformProgress) => void>(),
    projectProgress: new Set<(e: ProjectProgress) => void>(),
    projectChanged: new Set<(e: ProjectChanged) => void>(),
  };

  // ----- repository mode: the files under `projectRoot` are the project -----------------
  /** The open project's folder (set by `openProject`). */
  projectRoot: string | null = null;
  /** The project's glossary: its entries, an error message (a bad file), or `null` (none). */
  glossary: FakeGlossaryEntry[] | string | null = null;
  /** Delay of a search answer by pattern, in ms (to test answers arriving out of order). */
  searchLatency: (pattern: string) => number = () => 0;
  /** Hits built per search (the rest only counted) and where counting stops. */
  searchLimits = { maxHits: 2000, maxCount: 100_000 };
  /** Every `searchProject` generation asked, in order. */
  readonly searches: number[] = [];
  private review: { id: number; plan: FakePlan } | null = null;
  private nextPlanId = 0;
  /** Applied replaces, newest last: old cue texts of the files written, and the documents
   * that got their part as an edit (with their revision right after). */
  private readonly projectUndo: { disk: Map<string, DocumentView>; routed: { docId: number; path: string; revision: number }[] }[] = [];

  constructor(
    files: DocumentView[] = [],
    /** What `initialDocument` opens: a path in `files` (or a missing one, to test errors). */
    public initialPath: string | null = files[0]?.path ?? null,
  ) {
    for (const f of files) this.files.set(f.path, f);
  }

  // ----- test helpers -------------------------------------------------------------------

  emitCloseRequested() {
    for (const h of this.listeners.close) h();
  }
  emitMenuCommand(id: string) {
    for (const h of this.listeners.menu) h(id);
  }
  /** A second launch handed `paths` over (the single-instance hand-off). */
  emitOpenRequested(paths: string[]) {
    for (const h of this.listeners.openRequested) h(paths);
  }
  /** The file of document `docId` changed outside the editor to `texts`: reloads a clean
   * document (kind `reloaded`) or puts a dirty one in conflict, like the Rust watcher. */
  changeOnDisk(docId: number, texts: string[]) {
    const d = this.docs.get(docId);
    if (!d) return;
    this.disk.set(d.view.path, texts);
    if (!d.view.dirty) {
      // Like the Rust reload: a cue whose text is unchanged keeps its id (matched in order).
      const old = d.view.cues;
      let from = 0;
      const cues = texts.map((text, i) => {
        const j = old.findIndex((c, k) => k >= from && c.text === text);
        if (j >= 0) from = j + 1;
        const id = j >= 0 ? old[j].id : i >= old.length || texts.includes(old[i].text) ? this.nextCueId++ : old[i].id;
        return { ...(old[j >= 0 ? j : i] ?? old[0]), id, text };
      });
      this.step(d, cues);
      d.savedState = d.state;
      d.view = this.viewOf(d, cues, d.view.revision);
      this.emitChanged({ docId, kind: 'reloaded', message: 'Reloaded: the file changed on disk.', saveStatus: 'saved' });
    } else {
      d.conflict = true;
      d.view = this.viewOf(d, d.view.cues, d.view.revision);
      this.emitChanged({
        docId,
        kind: 'conflict',
        message: 'The file changed on disk while you have unsaved edits. Nothing is written until you choose.',
        saveStatus: 'conflict',
      });
    }
  }
  /** Moves the fake playhead by `ms` of media time if playing (looping as the player does). */
  advance(ms: number) {
    const p = this.playbackNow;
    if (!p.playing) return;
    let pos = p.positionMs + (ms * p.speedPercent) / 100;
    if (p.loopRange && pos >= p.loopRange[1]) pos = p.loopRange[0] + ((pos - p.loopRange[0]) % (p.loopRange[1] - p.loopRange[0]));
    const end = p.durationMs ?? Infinity;
    this.setPlayback({ positionMs: Math.min(Math.round(pos), end), ...(pos >= end ? { playing: false, ended: true } : {}) });
  }
  /** Runs the fake transport in real time (for `npm run dev` in a browser). */
  realTime() {
    if (this.realTimer === null) this.realTimer = setInterval(() => this.advance(50), 50);
  }
  private setPlayback(change: Partial<PlaybackChanged>) {
    this.playbackNow = { ...this.playbackNow, ...change };
    for (const h of this.listeners.playback) h(this.playbackNow);
  }
  emitChanged(e: DocumentChanged) {
    for (const h of this.listeners.changed) h(e);
  }
  /** The current cue texts of the document opened from `path` (else of the file "on disk"). */
  textsOf(path: string): string[] {
    for (const d of this.docs.values()) if (d.view.path === path) return d.view.cues.map((c) => c.text);
    return this.files.get(path)?.cues.map((c) => c.text) ?? [];
  }
  /** Files of the project changed on disk (the Rust watcher's `ProjectChanged`). */
  emitProjectChanged(paths: string[]) {
    for (const h of this.listeners.projectChanged) h({ paths });
  }

  // ----- Backend ------------------------------------------------------------------------

  async initialDocument(): Promise<Result<DocumentView>> {
    this.calls.push('initialDocument');
    return this.open(this.initialPath ?? DEMO.path);
  }

  async initialFolder(): Promise<Result<FolderView | null>> {
    this.calls.push('initialFolder');
    return ok(this.initialFolderView);
  }

  async openDocument(path: string): Promise<Result<DocumentView>> {
    this.calls.push(`openDocument ${path}`);
    await this.wait();
    const r = this.open(path);
    if (r.status === 'ok') this.recent = [path, ...this.recent.filter((p) => p !== path)].slice(0, 10);
    return r;
  }

  async getDocument(docId: number): Promise<Result<DocumentView>> {
    this.calls.push(`getDocument ${docId}`);
    return this.withDoc(docId, (d) => ok(d.view));
  }

  async applyEdits(docId: number, baseRevision: number, edits: EditDto[]): Promise<Result<DocumentView>> {
    this.calls.push(`applyEdits ${JSON.stringify(edits)}`);
    await this.wait();
    return this.withDoc(docId, (d) => {
      if (baseRevision !== d.view.revision) {
        const message = `stale: revision ${baseRevision}, the document is at ${d.view.revision}`;
        return err({ kind: 'StaleRevision', detail: { current: d.view.revision, message } });
      }
      this.edits.push(edits);
      if (d.view.readOnlyReason) return err(readOnly(d));
      let cues = d.view.cues;
      try {
        for (const e of edits) cues = this.applyOne(cues, e);
      } catch (e) {
        return err({ kind: 'InvalidEdit', detail: { message: (e as Error).message } });
      }
      return ok(this.step(d, cues));
    });
  }

  async journalDraft(docId: number, cue: number, text: string): Promise<Result<null>> {
    this.journaledDrafts.push([docId, cue, text]);
    await this.wait();
    return this.withDoc(docId, (d) =>
      cue < d.view.cues.length
        ? ok(null)
        : err({ kind: 'InvalidEdit', detail: { message: `cue ${cue} does not exist` } }),
    );
  }

  async undo(docId: number): Promise<Result<DocumentView>> {
    this.calls.push('undo');
    await this.wait();
    return this.withDoc(docId, (d) => ok(this.travel(d, d.undo, d.redo)));
  }

  async redo(docId: number): Promise<Result<DocumentView>> {
    this.calls.push('redo');
    await this.wait();
    return this.withDoc(docId, (d) => ok(this.travel(d, d.redo, d.undo)));
  }

  async saveDocument(docId: number): Promise<Result<DocumentView>> {
    this.calls.push('saveDocument');
    await this.wait();
    return this.withDoc(docId, (d) => {
      if (this.conflicts.delete(d.view.path) || d.conflict) {
        return err({
          kind: 'Conflict',
          detail: { path: d.view.path, message: `${d.view.fileName} changed on disk since it was opened; nothing was written` },
        });
      }
      d.savedState = d.state;
      d.view = this.viewOf(d, d.view.cues, d.view.revision);
      return ok(d.view);
    });
  }

  async saveDocumentAs(docId: number, path: string): Promise<Result<DocumentView>> {
    this.calls.push(`saveDocumentAs ${JSON.stringify([docId, path])}`);
    await this.wait();
    return this.withDoc(docId, (d) => {
      const ext = d.view.path.split('.').pop();
      if (!path.endsWith(`.${ext}`)) {
        return err({ kind: 'Unsupported', detail: { path, message: `Cannot save as ${path}: the name must end in .${ext} (Save As keeps the format)` } });
      }
      d.conflict = false;
      d.savedState = d.state;
      d.view = { ...this.viewOf(d, d.view.cues, d.view.revision), path, fileName: path.split('/').pop() ?? path, isDemo: false };
      return ok(d.view);
    });
  }

  async pickSavePath(defaultPath: string): Promise<string | null> {
    this.calls.push(`pickSavePath ${defaultPath}`);
    return this.pickedSavePath;
  }

  async findInDocument(docId: number, query: SearchQueryDto): Promise<Result<FindHit[]>> {
    this.calls.push(`findInDocument ${JSON.stringify(query)}`);
    await this.wait();
    return this.withDoc(docId, (d) => {
      const re = compile(query);
      if (typeof re === 'string') return err({ kind: 'InvalidQuery', detail: { message: re } });
      const hits: FindHit[] = [];
      d.view.cues.forEach((c, cue) => {
        for (const m of c.text.matchAll(re)) {
          if (m[0].length === 0) continue;
          hits.push({ cue, startUtf16: m.index, endUtf16: m.index + m[0].length });
        }
      });
      return ok(hits);
    });
  }

  async replaceInDocument(
    docId: number,
    query: SearchQueryDto,
    replacement: string,
    target: ReplaceTarget | null,
  ): Promise<Result<DocumentView>> {
    this.calls.push(`replaceInDocument ${JSON.stringify({ query, replacement, target })}`);
    await this.wait();
    return this.withDoc(docId, (d) => {
      const re = compile(query);
      if (typeof re === 'string') return err({ kind: 'InvalidQuery', detail: { message: re } });
      const cues = d.view.cues.map((c, i) => {
        if (target && target.cue !== i) return c;
        const text = c.text.replace(re, (...args) => {
          const match = args[0] as string;
          const offset = args.find((a, k) => k > 0 && typeof a === 'number') as number;
          if (match.length === 0 || (target && offset !== target.startUtf16)) return match;
          return query.regex ? match.replace(new RegExp(re.source, re.flags.replace('g', '')), replacement) : replacement;
        });
        return text === c.text ? c : { ...c, text };
      });
      if (cues.every((c, i) => c === d.view.cues[i])) return ok(d.view);
      return ok(this.step(d, cues));
    });
  }

  async openFolder(path: string): Promise<Result<FolderView>> {
    this.calls.push(`openFolder ${path}`);
    const f = this.folders.get(path);
    if (f) return ok(f);
    return err({ kind: 'NotFound', detail: { path, message: `Folder not found: ${path}` } });
  }

  async recentFiles(): Promise<Result<string[]>> {
    return ok([...this.recent]);
  }

  async closeDocument(docId: number): Promise<Result<null>> {
    this.calls.push(`closeDocument ${docId}`);
    this.docs.delete(docId);
    return ok(null);
  }

  async reloadTheirs(docId: number): Promise<Result<DocumentView>> {
    this.calls.push('reloadTheirs');
    return this.withDoc(docId, (d) => {
      const texts = this.disk.get(d.view.path) ?? d.view.cues.map((c) => c.text);
      const cues = texts.map((text, i) => ({ ...(d.view.cues[i] ?? d.view.cues[0]), text }));
      d.conflict = false;
      this.step(d, cues);
      d.savedState = d.state;
      d.view = this.viewOf(d, cues, d.view.revision);
      return ok(d.view);
    });
  }

  async keepMine(docId: number): Promise<Result<DocumentView>> {
    this.calls.push('keepMine');
    return this.withDoc(docId, (d) => {
      d.conflict = false;
      this.disk.set(d.view.path, d.view.cues.map((c) => c.text));
      d.savedState = d.state;
      d.view = this.viewOf(d, d.view.cues, d.view.revision);
      return ok(d.view);
    });
  }

  async compareWithDisk(docId: number): Promise<Result<CompareRowDto[]>> {
    this.calls.push('compareWithDisk');
    return this.withDoc(docId, (d) => ok(rows(this.disk.get(d.view.path) ?? [], d.view.cues.map((c) => c.text))));
  }

  async recoveryOffer(docId: number): Promise<Result<RecoveryOffer | null>> {
    this.calls.push('recoveryOffer');
    return this.withDoc(docId, (d) => {
      const r = this.recoveries.get(d.view.path);
      if (!r) return ok(null);
      return ok({ docId, changedOnDisk: r.changedOnDisk, rows: rows(d.view.cues.map((c) => c.text), r.mine) });
    });
  }

  async restoreUnsaved(docId: number): Promise<Result<DocumentView>> {
    this.calls.push('restoreUnsaved');
    return this.withDoc(docId, (d) => {
      const r = this.recoveries.get(d.view.path);
      this.recoveries.delete(d.view.path);
      if (!r) return ok(this.refresh(d));
      const cues = r.mine.map((text, i) => ({ ...(d.view.cues[i] ?? d.view.cues[0]), text }));
      return ok(this.step(d, cues));
    });
  }

  async discardUnsaved(docId: number): Promise<Result<DocumentView>> {
    this.calls.push('discardUnsaved');
    return this.withDoc(docId, (d) => {
      this.recoveries.delete(d.view.path);
      return ok(this.refresh(d));
    });
  }

  async getSettings(): Promise<Result<SettingsDto>> {
    return ok({ ...this.settings });
  }

  async setSettings(settings: SettingsDto): Promise<Result<SettingsDto>> {
    this.calls.push(`setSettings ${JSON.stringify(settings)}`);
    this.settings = { ...settings };
    return ok({ ...settings });
  }

  async onDocumentChanged(handler: (e: DocumentChanged) => void): Promise<Unlisten> {
    this.listeners.changed.add(handler);
    return () => this.listeners.changed.delete(handler);
  }

  async forceClose(): Promise<void> {
    this.calls.push('forceClose');
    this.forceClosed = true;
  }

  async setTitle(title: string): Promise<void> {
    this.titles.push(title);
  }

  async pickFile(): Promise<string | null> {
    this.calls.push('pickFile');
    return this.pickedFile;
  }

  async pickFolder(): Promise<string | null> {
    this.calls.push('pickFolder');
    return this.pickedFolder;
  }

  async onCloseRequested(handler: () => void): Promise<Unlisten> {
    this.listeners.close.add(handler);
    return () => this.listeners.close.delete(handler);
  }

  async onMenuCommand(handler: (id: string) => void): Promise<Unlisten> {
    this.listeners.menu.add(handler);
    return () => this.listeners.menu.delete(handler);
  }

  async onOpenRequested(handler: (paths: string[]) => void): Promise<Unlisten> {
    this.listeners.openRequested.add(handler);
    return () => this.listeners.openRequested.delete(handler);
  }

  // ----- audio --------------------------------------------------------------------------

  private audioView(path: string | null, error: string | null = null): AudioView {
    return {
      path,
      fileName: path ? (path.split('/').pop() ?? path) : null,
      source: path ? 'beside' : null,
      error,
      resumeCue: null,
      resumeMs: null,
      playback: { ...this.playbackNow },
    };
  }

  private load(path: string | null) {
    if (path === this.playbackNow.file) return;
    this.setPlayback({
      file: path,
      playing: false,
      positionMs: 0,
      durationMs: path ? (this.audioDurations.get(path) ?? 120_000) : null,
      ended: false,
      loopRange: null,
      epoch: this.playbackNow.epoch + 1,
    });
  }

  async audioForDocument(docId: number): Promise<Result<AudioView>> {
    this.calls.push(`audioForDocument ${docId}`);
    const d = this.docs.get(docId);
    if (!d) return err({ kind: 'NoSuchDocument', detail: { docId } });
    const path = this.audioBeside.get(d.view.path) ?? null;
    this.load(path);
    return ok(this.audioView(path));
  }

  async attachAudio(docId: number, path: string): Promise<Result<AudioView>> {
    this.calls.push(`attachAudio ${JSON.stringify([docId, path])}`);
    const d = this.docs.get(docId);
    if (!d) return err({ kind: 'NoSuchDocument', detail: { docId } });
    if (!/\.(mp3|m4a|wav|flac|ogg|oga|opus|aac)$/i.test(path)) {
      return err({ kind: 'Audio', detail: { path, message: 'Unsupported or corrupt audio: this file cannot be played' } });
    }
    this.audioBeside.set(d.view.path, path);
    this.load(path);
    return ok({ ...this.audioView(path), source: 'chosen' });
  }

  async detachAudio(docId: number): Promise<Result<AudioView>> {
    const d = this.docs.get(docId);
    if (d) this.audioBeside.delete(d.view.path);
    this.load(null);
    return ok(this.audioView(null));
  }

  async playback(command: PlaybackCommand): Promise<Result<PlaybackChanged>> {
    this.calls.push(`playback ${JSON.stringify(command)}`);
    await this.wait();
    const p = this.playbackNow;
    if (p.file === null) return err({ kind: 'Audio', detail: { path: '', message: 'No audio is attached to this transcript.' } });
    const clamp = (ms: number) => Math.max(0, Math.min(p.durationMs ?? ms, Math.round(ms)));
    switch (command.op) {
      case 'play':
        this.setPlayback({ playing: true, ended: false });
        break;
      case 'pause':
        this.setPlayback({ playing: false });
        break;
      case 'toggle':
        this.setPlayback({ playing: !p.playing, ended: false });
        break;
      case 'seek':
        this.setPlayback({ positionMs: clamp(command.ms), epoch: p.epoch + 1, ...(command.play ? { playing: true, ended: false } : {}) });
        break;
      case 'skip':
        this.setPlayback({ positionMs: clamp(p.positionMs + command.delta_ms), epoch: p.epoch + 1 });
        break;
      case 'speed':
        if (!(command.percent >= 45 && command.percent <= 205)) {
          return err({ kind: 'Audio', detail: { path: '', message: `speed ${command.percent / 100} is outside 0.5..=2` } });
        }
        this.setPlayback({ speedPercent: Math.round(command.percent / 10) * 10 });
        break;
      case 'volume':
        this.setPlayback({ volumePercent: command.percent });
        break;
      case 'loop':
        this.setPlayback({ loopRange: command.range });
        break;
    }
    return ok({ ...this.playbackNow });
  }

  async playbackState(): Promise<Result<PlaybackChanged>> {
    return ok({ ...this.playbackNow });
  }

  async rememberPlace(docId: number, cueIndex: number | null, positionMs: number | null): Promise<Result<null>> {
    this.places.set(docId, { cueIndex, positionMs });
    return ok(null);
  }

  async waveform(startMs: number, endMs: number, columns: number): Promise<Result<WaveformDto>> {
    if (this.playbackNow.file === null) {
      return ok({ status: 'none', progressPercent: 0, message: null, startMs, endMs, columns: [] });
    }
    // A slow sine envelope, so a browser run shows something.
    const cols: [number, number][] = [];
    for (let i = 0; i < columns; i++) {
      const t = startMs + ((endMs - startMs) * i) / Math.max(1, columns);
      const a = Math.round(Math.abs(Math.sin(t / 700)) * 20000);
      cols.push([-a, a]);
    }
    return ok({ status: 'ready', progressPercent: 100, message: null, startMs, endMs, columns: cols });
  }

  async pickAudio(): Promise<string | null> {
    this.calls.push('pickAudio');
    return this.pickedAudio;
  }

  async onPlayback(handler: (e: PlaybackChanged) => void): Promise<Unlisten> {
    this.listeners.playback.add(handler);
    return () => this.listeners.playback.delete(handler);
  }

  async onWaveformProgress(handler: (e: WaveformProgress) => void): Promise<Unlisten> {
    this.listeners.waveform.add(handler);
    return () => this.listeners.waveform.delete(handler);
  }

  // ----- repository mode ----------------------------------------------------------------

  /** The project's files in path order; open documents with their current text. */
  private projectFiles(): ProjectFile[] {
    const root = this.projectRoot;
    if (root === null) return [];
    const open = new Map<string, Doc>();
    for (const d of this.docs.values()) open.set(d.view.path, d);
    return [...this.files.keys()]
      .filter((p) => p.startsWith(`${root}/`))
      .sort()
      .map((path) => {
        const file = this.files.get(path) as DocumentView;
        const d = open.get(path);
        const view = d?.view ?? file;
        return {
          path,
          relative: path.slice(root.length + 1),
          format: view.format,
          cues: view.cues.map((c, index) => (c.index === index ? c : { ...c, index })),
          errors: view.diagnostics.filter((x) => x.severity === 'error').length,
          warnings: view.diagnostics.filter((x) => x.severity === 'warning').length,
          problem: view.readOnlyReason,
          modified: d?.view.dirty ?? false,
          conflict: d?.conflict ?? false,
          inEditor: d !== undefined,
        };
      });
  }

  private noProject<T>(): Result<T> {
    return err({ kind: 'Unsupported', detail: { path: '', message: 'No folder is open as a project: open one with Ctrl+Shift+O.' } });
  }

  async openProject(path: string): Promise<Result<ProjectView>> {
    this.calls.push(`openProject ${path}`);
    await this.wait();
    if (![...this.files.keys()].some((p) => p.startsWith(`${path}/`)) && !this.folders.has(path)) {
      return err({ kind: 'Io', detail: { path, message: `Cannot open ${path}: no such folder` } });
    }
    this.projectRoot = path;
    this.review = null;
    this.projectUndo.length = 0;
    return ok(project.projectView(path, this.projectFiles(), this.glossary !== null, this.audioBeside));
  }

  async projectView(): Promise<Result<ProjectView | null>> {
    this.calls.push('projectView');
    if (this.projectRoot === null) return ok(null);
    return ok(project.projectView(this.projectRoot, this.projectFiles(), this.glossary !== null, this.audioBeside));
  }

  async searchProject(query: SearchQueryDto, generation: number): Promise<Result<ProjectSearchDto | null>> {
    this.calls.push(`searchProject ${JSON.stringify({ ...query, generation })}`);
    this.searches.push(generation);
    const delay = this.searchLatency(query.pattern);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    else await this.wait();
    if (this.projectRoot === null) return this.noProject();
    if (query.pattern === '') return ok({ generation, totalHits: 0, shownHits: 0, complete: true, files: [], micros: 0 });
    const re = compile(query);
    if (typeof re === 'string') return err({ kind: 'InvalidQuery', detail: { message: re } });
    return ok(project.search(this.projectFiles(), re, generation, this.searchLimits));
  }

  private storePlan(plan: (id: number) => FakePlan): PlanDto {
    const id = ++this.nextPlanId;
    this.review = { id, plan: plan(id) };
    return structuredClone(this.review.plan.dto);
  }

  async planProjectReplace(query: SearchQueryDto, replacement: string): Promise<Result<PlanDto>> {
    this.calls.push(`planProjectReplace ${JSON.stringify({ query, replacement })}`);
    await this.wait();
    if (this.projectRoot === null) return this.noProject();
    const re = compile(query);
    if (typeof re === 'string') return err({ kind: 'InvalidQuery', detail: { message: re } });
    const one = new RegExp(re.source, re.flags.replace('g', ''));
    const replace = (m: string) => (query.regex ? m.replace(one, replacement) : replacement);
    return ok(this.storePlan((id) => project.plan(this.projectFiles(), [{ re, replace }], id)));
  }

  async planGlossary(): Promise<Result<PlanDto>> {
    this.calls.push('planGlossary');
    await this.wait();
    const root = this.projectRoot;
    if (root === null) return this.noProject();
    const path = `${root}/.cueline/glossary.toml`;
    if (this.glossary === null) return err({ kind: 'NotFound', detail: { path, message: `No glossary: ${path} does not exist` } });
    if (typeof this.glossary === 'string') return err({ kind: 'Unsupported', detail: { path, message: this.glossary } });
    const sources = project.glossarySources(this.glossary);
    return ok(this.storePlan((id) => project.plan(this.projectFiles(), sources, id)));
  }

  async setPlanIncluded(planId: number, target: PlanTarget, included: boolean): Promise<Result<PlanDto>> {
    this.calls.push(`setPlanIncluded ${JSON.stringify([planId, target, included])}`);
    await this.wait();
    const stale = err<PlanDto>({ kind: 'InvalidEdit', detail: { message: 'That replace preview is out of date: search again.' } });
    if (!this.review || this.review.id !== planId) return stale;
    const dto = this.review.plan.dto;
    const known = target.kind === 'hit' ? project.setHit(dto, target.id, included) : project.setFile(dto, target.index, included);
    return known ? ok(structuredClone(dto)) : stale;
  }

  async applyProjectPlan(planId: number): Promise<Result<ProjectChangeDto>> {
    this.calls.push(`applyProjectPlan ${planId}`);
    const review = this.review;
    if (!review || review.id !== planId) {
      return err({ kind: 'InvalidEdit', detail: { message: 'That replace preview is out of date: search again.' } });
    }
    this.review = null;
    const files = this.projectFiles();
    for (const f of files) {
      const made = review.plan.made.get(f.path);
      if (made !== undefined && made !== JSON.stringify(f.cues.map((c) => c.text))) {
        return err({ kind: 'Conflict', detail: { path: '', message: `Nothing was replaced: ${f.path} was edited since the preview. Search again.` } });
      }
    }
    const changes = project.replaced(review.plan, files);
    const total = changes.size;
    const progress = (done: number, stage: ProjectProgress['stage']) => {
      for (const h of this.listeners.projectProgress) h({ done, total, stage });
    };
    progress(0, 'preparing');
    await this.wait();
    const disk = new Map<string, DocumentView>();
    const routed: { docId: number; path: string; revision: number }[] = [];
    let done = 0;
    for (const [path, texts] of changes) {
      const d = [...this.docs.values()].find((x) => x.view.path === path);
      if (d) {
        const cues = d.view.cues.map((c, i) => (c.text === texts[i] ? c : { ...c, text: texts[i] }));
        this.step(d, cues);
        routed.push({ docId: d.view.docId, path, revision: d.view.revision });
      } else {
        const file = this.files.get(path) as DocumentView;
        disk.set(path, file);
        this.files.set(path, { ...file, cues: file.cues.map((c, i) => (c.text === texts[i] ? c : { ...c, text: texts[i] })) });
      }
      progress(++done, 'staging');
      await this.wait();
    }
    progress(total, 'done');
    this.projectUndo.push({ disk, routed });
    const n = review.plan.dto.counts.includedHits;
    return ok({
      replacements: n,
      files: [...changes.keys()],
      refused: [],
      canUndo: true,
      message: `Replaced ${n} in ${total} ${total === 1 ? 'file' : 'files'}.${routed.length > 0 ? ' Open documents got their part as an edit.' : ''}`,
    });
  }

  async undoProjectReplace(): Promise<Result<ProjectChangeDto>> {
    this.calls.push('undoProjectReplace');
    await this.wait();
    const op = this.projectUndo.pop();
    if (!op) return err({ kind: 'InvalidEdit', detail: { message: 'There is no project replace to undo.' } });
    const files: string[] = [];
    const refused: string[] = [];
    for (const [path, view] of op.disk) {
      this.files.set(path, view);
      files.push(path);
    }
    for (const r of op.routed) {
      const d = this.docs.get(r.docId);
      if (d && d.view.revision === r.revision) {
        this.travel(d, d.undo, d.redo);
        files.push(r.path);
      } else refused.push(`${r.path}: edited or closed since; use Undo in its editor`);
    }
    return ok({
      replacements: 0,
      files,
      refused,
      canUndo: this.projectUndo.length > 0,
      message:
        refused.length === 0
          ? `Undone in ${files.length} files.`
          : `Undone in ${files.length} files; ${refused.length} left as they are because they changed since.`,
    });
  }

  async onProjectProgress(handler: (e: ProjectProgress) => void): Promise<Unlisten> {
    this.listeners.projectProgress.add(handler);
    return () => this.listeners.projectProgress.delete(handler);
  }

  async onProjectChanged(handler: (e: ProjectChanged) => void): Promise<Unlisten> {
    this.listeners.projectChanged.add(handler);
    return () => this.listeners.projectChanged.delete(handler);
  }

  // ----- git (issue 14): a last commit per path, set by the test ------------------------
  /** The last commit's cues by path; a path not here is outside any work tree (no git features). */
  readonly gitHeads = new Map<string, FakeHeadCue[]>();
  /** The work tree's root: paths under it are what a commit names. */
  gitRoot = '/fake';
  /** git refuses to work here ("dubious ownership"): its message. */
  gitRefused: string | null = null;
  /** The next commit fails with this hook output (and commits nothing). */
  gitHookFailure: string | null = null;
  /** A merge, rebase or cherry-pick is in progress. */
  gitBlocked: string | null = null;
  gitDetached = false;
  /** Changed files besides the transcripts in `gitHeads` (e.g. another file staged). */
  gitOtherFiles: GitFileDto[] = [];
  /** Commits made, oldest first. */
  readonly gitCommits: { paths: string[]; message: string }[] = [];

  /** The cues of `path` now: its open document's, else the file's. */
  private cuesAt(path: string) {
    for (const d of this.docs.values()) if (d.view.path === path) return d.view.cues;
    return this.files.get(path)?.cues ?? [];
  }

  private rel(path: string): string {
    return path.startsWith(this.gitRoot + '/') ? path.slice(this.gitRoot.length + 1) : path;
  }

  async gitMarks(docId: number, refresh: boolean): Promise<Result<GitMarksDto>> {
    this.calls.push(`gitMarks ${JSON.stringify([docId, refresh])}`);
    await this.wait();
    return this.withDoc(docId, (d) => {
      const head = this.gitHeads.get(d.view.path);
      const base: GitMarksDto = {
        state: 'hidden',
        message: null,
        docId,
        revision: d.view.revision,
        changed: 0,
        marks: [],
        hasCommit: false,
        inHead: false,
      };
      if (this.gitRefused !== null) return ok({ ...base, state: 'refused', message: this.gitRefused });
      if (!head || d.view.isDemo) return ok(base);
      const changes = compareCues(head, d.view.cues);
      return ok({ ...base, state: 'ready', changed: changes.length, marks: changes.map(markOf), hasCommit: true, inHead: true });
    });
  }

  private findChange(docId: number, change: GitChangeRef) {
    const d = this.docs.get(docId);
    const head = d ? this.gitHeads.get(d.view.path) : undefined;
    if (!d || !head) return null;
    const c = compareCues(head, d.view.cues).find((x) => {
      const m = markOf(x).change;
      return m.deleted === change.deleted && m.cue === change.cue;
    });
    return c ? { d, head, c } : null;
  }

  async gitChange(docId: number, change: GitChangeRef): Promise<Result<GitChangeDto>> {
    this.calls.push(`gitChange ${JSON.stringify([docId, change])}`);
    const found = this.findChange(docId, change);
    if (!found) return err({ kind: 'Git', detail: { message: 'That cue no longer differs from the last commit.' } });
    const { d, head, c } = found;
    const before = c.before === null ? null : head[c.before];
    const after = c.after === null ? null : d.view.cues[c.after];
    return ok({
      kind: c.kind,
      change,
      head: before && c.before !== null ? { index: c.before, ...before } : null,
      now: after ? { index: after.index, startMs: after.startMs, endMs: after.endMs, text: after.text } : null,
      runs: wordRuns(before?.text ?? '', after?.text ?? ''),
    });
  }

  async gitRevertCue(docId: number, change: GitChangeRef): Promise<Result<DocumentView>> {
    this.calls.push(`gitRevertCue ${JSON.stringify([docId, change])}`);
    const found = this.findChange(docId, change);
    if (!found) return err({ kind: 'Git', detail: { message: 'That cue no longer differs from the last commit.' } });
    const { head, c } = found;
    const b = c.before === null ? null : head[c.before];
    const edits: EditDto[] = [];
    if (c.kind === 'inserted' && c.after !== null) edits.push({ op: 'delete', cue: c.after });
    else if (c.kind === 'deleted' && b) edits.push({ op: 'insert', at: c.at, start_ms: b.startMs, end_ms: b.endMs, text: b.text });
    else if (b && c.after !== null) {
      if (c.kind !== 'timing') edits.push({ op: 'set_text', cue: c.after, text: b.text });
      if (c.kind !== 'text') edits.push({ op: 'set_timing', cue: c.after, start_ms: b.startMs, end_ms: b.endMs });
    }
    const current = this.docs.get(docId)?.view.revision ?? 0;
    return this.applyEdits(docId, current, edits);
  }

  async gitStatus(near: string): Promise<Result<GitStatusDto>> {
    this.calls.push(`gitStatus ${JSON.stringify(near)}`);
    const base: GitStatusDto = {
      state: 'hidden',
      message: null,
      root: this.gitRoot,
      blocked: this.gitBlocked,
      detached: this.gitDetached,
      hasCommit: true,
      files: [],
    };
    if (this.gitRefused !== null) return ok({ ...base, state: 'refused', message: this.gitRefused });
    if (this.gitHeads.size === 0) return ok(base);
    const files: GitFileDto[] = [];
    for (const [path, head] of this.gitHeads) {
      const changed = compareCues(head, this.cuesAt(path)).length;
      if (changed === 0) continue;
      const rel = this.rel(path);
      files.push({
        path: rel,
        absPath: path,
        episode: rel.replace(/\.[^./]*$/, ''),
        staged: false,
        modified: true,
        untracked: false,
        deleted: false,
        transcript: true,
        changedCues: changed,
      });
    }
    files.push(...this.gitOtherFiles);
    files.sort((a, b) => a.path.localeCompare(b.path));
    return ok({ ...base, state: 'ready', files });
  }

  async gitCommitMessage(near: string, paths: string[]): Promise<Result<string>> {
    this.calls.push(`gitCommitMessage ${JSON.stringify(paths)}`);
    const eps = [...new Set(paths.map((p) => (p.split('/').pop() ?? p).replace(/\.[^.]*$/, '')))];
    return ok(`Fix words in ${eps.length === 1 ? eps[0] : `${eps.length} episodes`}`);
  }

  async gitCommit(near: string, paths: string[], message: string): Promise<Result<GitCommitDto>> {
    this.calls.push(`gitCommit ${JSON.stringify([paths, message])}`);
    await this.wait();
    if (this.gitBlocked) return err({ kind: 'Git', detail: { message: `Committing is not possible now: ${this.gitBlocked}.` } });
    if (this.gitHookFailure !== null) {
      const message = `the commit was not made:\n${this.gitHookFailure}`;
      this.gitHookFailure = null;
      return err({ kind: 'Git', detail: { message } });
    }
    for (const [path] of this.gitHeads) {
      if (!paths.includes(this.rel(path))) continue;
      for (const d of this.docs.values()) if (d.view.path === path && d.state !== d.savedState) await this.saveDocument(d.view.docId);
      this.gitHeads.set(path, headOf(this.cuesAt(path)));
    }
    this.gitOtherFiles = this.gitOtherFiles.filter((f) => !paths.includes(f.path));
    this.gitCommits.push({ paths, message });
    return ok({ commit: `c${this.gitCommits.length}`, files: paths });
  }

  // ----- the model ----------------------------------------------------------------------

  private async wait() {
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
  }

  private open(path: string): Result<DocumentView> {
    for (const d of this.docs.values()) if (d.view.path === path) return ok(d.view);
    const file = this.files.get(path) ?? (path === DEMO.path ? DEMO : undefined);
    if (!file) return err({ kind: 'NotFound', detail: { path, message: `File not found: ${path}` } });
    const docId = this.nextDocId++;
    const doc: Doc = { view: { ...file, docId, revision: 0 }, undo: [], redo: [], state: 0, savedState: 0 };
    doc.view = this.viewOf(doc, file.cues, 0);
    this.docs.set(docId, doc);
    return ok(doc.view);
  }

  // ----- review pass: a tiny stand-in for Rust's (words listed in `misspelled` are flagged)

  /** Words the fake flags as misspelled, with their suggestions. */
  readonly misspelled = new Map<string, string[]>();
  /** What Ignore all and Add to … words took out. */
  readonly knownWords = new Set<string>();
  private flagGeneration = 0;

  async reviewFlags(docId: number, since: number): Promise<Result<FlagsView>> {
    this.calls.push(`reviewFlags ${since}`);
    await this.wait();
    return this.withDoc(docId, (d) => {
      this.flagGeneration++;
      const cues = d.view.cues.map((c) => ({
        cueId: c.id,
        flags: [...c.text.matchAll(/[\p{L}']+/gu)]
          .filter((m) => this.misspelled.has(m[0]) && !this.knownWords.has(m[0]))
          .map((m) => ({
            kind: 'spelling' as const,
            startUtf16: m.index,
            endUtf16: m.index + m[0].length,
            text: m[0],
            suggestions: this.misspelled.get(m[0]) ?? [],
          })),
      }));
      return ok({
        docId,
        since,
        generation: this.flagGeneration,
        cues: since === 0 ? cues.filter((c) => c.flags.length > 0) : cues,
        notice: null,
        projectWords: null,
        glossary: null,
      });
    });
  }

  async flagSuggestions(_docId: number, word: string): Promise<Result<string[]>> {
    await this.wait();
    return ok(this.misspelled.get(word) ?? []);
  }

  async addKnownWord(_docId: number, word: string, list: WordListDto): Promise<Result<ListChanged>> {
    this.calls.push(`addKnownWord ${word} ${list}`);
    await this.wait();
    this.knownWords.add(word);
    return ok({ file: list === 'project' ? '.cueline/words.txt' : 'words.txt', added: true });
  }

  async ignoreFlagged(text: string): Promise<Result<null>> {
    this.calls.push(`ignoreFlagged ${text}`);
    await this.wait();
    this.knownWords.add(text);
    return ok(null);
  }

  async rejectFlag(_docId: number, _cueId: number, heard: string): Promise<Result<null>> {
    this.calls.push(`rejectFlag ${heard}`);
    await this.wait();
    return ok(null);
  }

  async addGlossaryEntry(_docId: number, wrong: string, right: string): Promise<Result<ListChanged>> {
    this.calls.push(`addGlossaryEntry ${wrong} ${right}`);
    await this.wait();
    return ok({ file: '.cueline/glossary.toml', added: true });
  }

  private withDoc<T>(docId: number, f: (d: Doc) => Result<T>): Result<T> {
    const d = this.docs.get(docId);
    return d ? f(d) : err({ kind: 'NoSuchDocument', detail: { docId } });
  }

  private refresh(d: Doc): DocumentView {
    d.view = this.viewOf(d, d.view.cues, d.view.revision);
    return d.view;
  }

  private viewOf(d: Doc, cues: CueDto[], revision: number): DocumentView {
    const indexed = cues.map((c, index) => (c.index === index ? c : { ...c, index }));
    const dirty = d.state !== d.savedState;
    return {
      ...d.view,
      saveStatus: d.conflict ? 'conflict' : dirty ? 'unsaved' : 'saved',
      recoveryPending: this.recoveries.has(d.view.path),
      cues: indexed,
      cueCount: indexed.length,
      revision,
      dirty,
      canUndo: d.undo.length > 0,
      canRedo: d.redo.length > 0,
    };
  }

  /** Records one undo step and moves to a new revision. */
  private step(d: Doc, cues: CueDto[]): DocumentView {
    d.undo.push({ cues: d.view.cues, state: d.state });
    d.redo = [];
    d.state = ++this.nextState;
    d.view = this.viewOf(d, cues, d.view.revision + 1);
    return d.view;
  }

  private travel(d: Doc, from: Doc['undo'], to: Doc['undo']): DocumentView {
    const target = from.pop();
    if (!target) return d.view;
    to.push({ cues: d.view.cues, state: d.state });
    // Undo back to the saved state makes the document clean again.
    d.state = target.state;
    d.view = this.viewOf(d, target.cues, d.view.revision + 1);
    return d.view;
  }

  private applyOne(cues: CueDto[], e: EditDto): CueDto[] {
    const at = (i: number) => {
      const c = cues[i];
      if (!c) throw new Error(`no cue ${i}`);
      return c;
    };
    const next = [...cues];
    switch (e.op) {
      case 'set_text':
        if (e.text.includes('\n\n') || e.text.includes('-->')) throw new Error('text would change how the cue parses');
        next[e.cue] = { ...at(e.cue), text: e.text };
        return next;
      case 'set_timing': {
        const c = at(e.cue);
        const startMs = e.start_ms ?? c.startMs;
        const endMs = e.end_ms ?? c.endMs;
        if (endMs !== null && endMs < startMs) throw new Error('end before start');
        next[e.cue] = { ...c, startMs, endMs };
        return next;
      }
      case 'insert':
        if (e.at > cues.length) throw new Error(`cannot insert at ${e.at}`);
        next.splice(e.at, 0, {
          id: this.nextCueId++,
          index: e.at,
          line: 0,
          startMs: e.start_ms,
          endMs: e.end_ms ?? null,
          text: e.text,
        });
        return next;
      case 'delete':
        at(e.cue);
        next.splice(e.cue, 1);
        return next;
      case 'split': {
        const c = at(e.cue);
        const chars = [...c.text];
        if (e.at_char <= 0 || e.at_char >= chars.length) throw new Error('split must leave text on both sides');
        if (e.at_ms < c.startMs || (c.endMs !== null && e.at_ms > c.endMs)) throw new Error('split time outside the cue');
        const first = chars.slice(0, e.at_char).join('').trimEnd();
        const second = chars.slice(e.at_char).join('').trimStart();
        next.splice(
          e.cue,
          1,
          { ...c, text: first, endMs: c.endMs === null ? null : e.at_ms },
          { ...c, id: this.nextCueId++, startMs: e.at_ms, text: second },
        );
        return next;
      }
      case 'merge': {
        const c = at(e.cue);
        const n = at(e.cue + 1);
        next.splice(e.cue, 2, { ...c, endMs: n.endMs, text: [c.text, n.text].filter((t) => t !== '').join(' ') });
        return next;
      }
      case 'renumber':
        return next;
    }
  }

  // ----- review progress -------------------------------------------------------------------
  /** The marks (see `./progress.ts`); tests set marks with `reviewMarks.set` and playback's
   * "listened" with `emitProgress`. */
  readonly reviewMarks = new FakeProgress();
  private readonly progressListeners = new Set<(e: ProgressChanged) => void>();

  private cuesOf(docId: number): CueDto[] | null {
    return this.docs.get(docId)?.view.cues ?? null;
  }

  async reviewProgress(docId: number): Promise<Result<ProgressView>> {
    const cues = this.cuesOf(docId);
    return cues ? ok(this.reviewMarks.view(docId, cues)) : err({ kind: 'NoSuchDocument', detail: { docId } });
  }

  async toggleChecked(docId: number, cueIndex: number): Promise<Result<ProgressView>> {
    this.calls.push(`toggleChecked ${docId} ${cueIndex}`);
    const cues = this.cuesOf(docId);
    if (!cues) return err({ kind: 'NoSuchDocument', detail: { docId } });
    const view = this.reviewMarks.toggle(docId, cues, cueIndex);
    return view ? ok(view) : err({ kind: 'InvalidEdit', detail: { message: `cue ${cueIndex} does not exist` } });
  }

  async nextUnreviewed(docId: number, from: number | null, forward: boolean): Promise<Result<number | null>> {
    const cues = this.cuesOf(docId);
    return cues ? ok(this.reviewMarks.next(docId, cues, from, forward)) : err({ kind: 'NoSuchDocument', detail: { docId } });
  }

  async progressSummaries(paths: string[]): Promise<Result<ProgressSummary[]>> {
    const out: ProgressSummary[] = [];
    for (const d of this.docs.values()) {
      if (!paths.includes(d.view.path)) continue;
      const v = this.reviewMarks.view(d.view.docId, d.view.cues);
      out.push({ path: d.view.path, checked: v.checked, listened: v.listened, total: v.total });
    }
    return ok(out);
  }

  async onProgressChanged(handler: (e: ProgressChanged) => void): Promise<Unlisten> {
    this.progressListeners.add(handler);
    return () => this.progressListeners.delete(handler);
  }

  /** Cue `index` of the document open from `path` was played through (Rust's `ProgressChanged`). */
  emitListened(path: string, index: number) {
    const docId = [...this.docs.values()].find((d) => d.view.path === path)?.view.docId;
    const cues = docId === undefined ? null : this.cuesOf(docId);
    if (docId === undefined || !cues) return;
    if (this.reviewMarks.view(docId, cues).marks[index] === 'unreviewed') this.reviewMarks.set(docId, cues, index, 'listened');
    const view = this.reviewMarks.view(docId, cues);
    for (const h of this.progressListeners) h({ view });
  }
}

/** Side-by-side rows of the cue texts that differ (paired by position). */
function rows(theirs: string[], mine: string[]): CompareRowDto[] {
  const out: CompareRowDto[] = [];
  for (let i = 0; i < Math.max(theirs.length, mine.length); i++) {
    if (theirs[i] === mine[i]) continue;
    const cue = (text: string | undefined) =>
      text === undefined ? null : { index: i, startMs: i * 4000, endMs: i * 4000 + 3500, text };
    out.push({ theirs: cue(theirs[i]), mine: cue(mine[i]) });
  }
  return out;
}

function readOnly(d: Doc): IpcError {
  return { kind: 'ReadOnly', detail: { path: d.view.path, message: d.view.readOnlyReason ?? 'read-only' } };
}

function compile(q: SearchQueryDto): RegExp | string {
  if (q.regex) {
    try {
      new RegExp(q.pattern, 'u');
    } catch (e) {
      return `Invalid pattern: ${(e as Error).message}`;
    }
  }
  let source = q.regex ? q.pattern : q.pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (q.wholeWord) source = `(?<![\\p{L}\\p{N}_])(?:${source})(?![\\p{L}\\p{N}_])`;
  try {
    return new RegExp(source, `gu${q.matchCase ? '' : 'i'}`);
  } catch (e) {
    return `Invalid pattern: ${(e as Error).message}`;
  }
}

/** Builds a document view for tests: `texts[i]` becomes cue `i`, 4 s apart. */
export function makeDocument(
  texts: string[],
  {
    path = '/fake/episode.vtt',
    format = 'vtt' as DocumentView['format'],
    diagnostics = [] as DocumentView['diagnostics'],
    readOnlyReason = null as string | null,
  } = {},
): DocumentView {
  const cues: CueDto[] = texts.map((text, index) => ({
    id: index,
    index,
    line: 3 + index * 4,
    startMs: index * 4000,
    endMs: format === 'txt' ? null : index * 4000 + 3500,
    text,
  }));
  return {
    docId: 0,
    path,
    fileName: path.split('/').pop() ?? path,
    isDemo: false,
    format,
    readOnlyReason,
    revision: 0,
    dirty: false,
    canUndo: false,
    canRedo: false,
    cueCount: cues.length,
    cues,
    diagnostics,
    saveStatus: 'saved',
    recoveryPending: false,
  };
}

const DEMO: DocumentView = {
  ...makeDocument(
    [
      'Welcome to Harbor Lights, the show about small\nhistories hiding in plain sight.',
      "I'm Maren Okafor, and with me as always is Theo Lindqvist.",
      'Hi, everyone. Today we have a logbook that spent\nsixty years inside a wall.',
      'It was found by a carpenter in Bremen, behind the plaster of a harbour office.',
      'And the first entry is dated the ninth of March, eighteen ninety-one.',
    ],
    { path: '/fake/demo/demo-episode.vtt' },
  ),
  isDemo: true,
};
