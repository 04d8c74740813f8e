// The open document as the UI holds it. Rust owns the document; the UI holds a copy of the
// last DocumentView it was sent (replaced, never mutated) and the drafts of cues being typed in.
//
// The draft model (docs/editor-ipc-contract.md, architecture §3.5): a keystroke only updates
// `drafts`; the drafts are sent as `apply_edits([set_text])` after ~400 ms idle, on blur, on
// `beforeunload`, and before every other command. Commands run one at a time in a queue, so a
// flush always reaches Rust before the command that follows it. A returned view is applied
// only if it is not older than the one held, and a draft that changed while its flush was in
// flight is kept.

import { SvelteMap } from 'svelte/reactivity';
import type {
  Backend,
  CompareRowDto,
  CueDto,
  DocumentChanged,
  DiagnosticDto,
  DocumentView,
  EditDto,
  FolderView,
  IpcError,
  RecoveryOffer,
  Result,
  SettingsDto,
} from '../ipc/backend';

export type LoadError = {
  /** `kind` of the typed IPC error, or `Unexpected` for a failure outside the command. */
  kind: IpcError['kind'] | 'Unexpected';
  path: string;
  message: string;
};

export type SaveStatus = 'Saved' | 'Unsaved changes' | 'Saving…' | 'Conflict';

/** Something that happened to the file outside the editor and needs the user's attention. */
export type External = { kind: 'conflict' | 'deleted' | 'save_failed'; message: string };

export const DRAFT_IDLE_MS = 400;
/**
 * A draft reaches Rust's crash journal at most this long after a keystroke (as a draft, not an
 * edit: no undo step, a few bytes over IPC), so a crash while someone types without pausing
 * loses no more than the last 100 ms, the IPC call included.
 */
export const DRAFT_JOURNAL_MS = 50;

/** A human sentence for a typed IPC error. */
export function describeError(error: IpcError): string {
  switch (error.kind) {
    case 'Conflict':
      return `Not saved: the file changed on disk since it was opened or last saved, so nothing was written. Your changes are still here. (${error.detail.message})`;
    case 'NoSuchDocument':
      return `The document is no longer open (id ${error.detail.docId}).`;
    case 'InvalidEdit':
      return `That change was refused: ${error.detail.message}`;
    case 'InvalidQuery':
      return `Invalid search: ${error.detail.message}`;
    case 'ReadOnly':
      return `This document is read-only: ${error.detail.message}`;
    default:
      return error.detail.message;
  }
}

export class DocumentStore {
  status = $state<'loading' | 'ready' | 'error'>('loading');
  /** The big list is replaced, never mutated: no deep proxies for thousands of cues. */
  view = $state.raw<DocumentView | null>(null);
  error = $state.raw<LoadError | null>(null);
  /** Text typed into a cue and not yet confirmed by Rust, by cue id. */
  readonly drafts = new SvelteMap<number, string>();
  /** The cue's text when its draft began, by cue id (for drafts that meet a reload). */
  private readonly draftBase = new Map<number, string>();
  saving = $state(false);
  /** The last command failure, shown in an alert region until dismissed or superseded. */
  alert = $state<string | null>(null);
  folder = $state.raw<FolderView | null>(null);
  recent = $state.raw<string[]>([]);
  /** A quiet notice (e.g. the document was reloaded after a change on disk). */
  notice = $state<string | null>(null);
  /** A conflict, a deleted file or a failed autosave, shown in a banner. */
  external = $state.raw<External | null>(null);
  /** The side-by-side comparison of the file on disk and the document ("Compare"). */
  compareRows = $state.raw<CompareRowDto[] | null>(null);
  /** Unsaved edits found in a crash journal, waiting for Restore / Discard. */
  recovery = $state.raw<RecoveryOffer | null>(null);
  /** The app's settings (autosave, playback, key bindings). */
  settings = $state.raw<SettingsDto>({ autosave: true, skipMs: 2000, autoRewindMs: 1000, keyBindings: {}, spellingLanguage: 'en_US' });
  /** The Autosave setting. */
  readonly autosave = $derived(this.settings.autosave);
  /** Documents opened in this window (Rust keeps them open), for the close prompt. */
  readonly openDocs = new SvelteMap<number, { fileName: string; dirty: boolean }>();

  private queue: Promise<unknown> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private journalTimer: ReturnType<typeof setTimeout> | null = null;
  /** The text of each draft as last journaled in Rust, by cue id. */
  private readonly journaled = new Map<number, string>();

  /** Diagnostics by the index of the cue they are shown with. */
  readonly byCue = $derived.by(() => {
    const map = new Map<number, DiagnosticDto[]>();
    for (const d of this.view?.diagnostics ?? []) {
      if (d.cueIndex === null) continue;
      const list = map.get(d.cueIndex);
      if (list) list.push(d);
      else map.set(d.cueIndex, [d]);
    }
    return map;
  });

  /** Diagnostics that belong to no cue (header, blocks before the first cue). */
  readonly documentDiagnostics = $derived(
    (this.view?.diagnostics ?? []).filter((d) => d.cueIndex === null),
  );

  /** Index of each cue id in the current view. */
  readonly indexById = $derived.by(() => {
    const map = new Map<number, number>();
    this.view?.cues.forEach((c, i) => map.set(c.id, i));
    return map;
  });

  readonly editable = $derived(this.view !== null && this.view.readOnlyReason === null);

  /** Rust's save status (autosave), plus the drafts Rust has not seen yet. */
  readonly saveStatus: SaveStatus = $derived.by(() => {
    const rust = this.view?.saveStatus ?? 'saved';
    if (rust === 'conflict') return 'Conflict';
    if (this.saving || rust === 'saving') return 'Saving…';
    if (rust === 'unsaved' || this.drafts.size > 0) return 'Unsaved changes';
    return 'Saved';
  });

  readonly title = $derived(
    this.status === 'ready' && this.view
      ? `${this.view.fileName}${this.saveStatus === 'Saved' ? '' : ' •'} — Cueline`
      : 'Cueline',
  );

  constructor(private readonly backend: Backend) {}

  // ----- loading --------------------------------------------------------------------------

  loadInitial(): Promise<void> {
    return this.load('', () => this.backend.initialDocument());
  }

  /** Opens a document (after sending the drafts of the current one). */
  open(path: string): Promise<void> {
    return this.exclusive(async () => {
      await this.flushNow();
      await this.loadNow(path, () => this.backend.openDocument(path));
    });
  }

  async loadFolder(path: string | null): Promise<void> {
    const result = await this.guard(() =>
      path === null ? this.backend.initialFolder() : this.backend.openFolder(path),
    );
    if (result?.status === 'ok') {
      this.folder = result.data;
    } else if (result) {
      this.alert = describeError(result.error);
    }
  }

  async loadRecent(): Promise<void> {
    const result = await this.guard(() => this.backend.recentFiles());
    if (result?.status === 'ok') this.recent = result.data;
  }

  private load(path: string, call: () => Promise<Result<DocumentView>>) {
    return this.exclusive(() => this.loadNow(path, call));
  }

  private async loadNow(path: string, call: () => Promise<Result<DocumentView>>) {
    const previous = this.view;
    if (!previous) this.status = 'loading';
    const result = await this.guard(call);
    if (!result) {
      if (previous) return; // the alert says what went wrong; the open document stays
      this.alert = null;
      this.fail({ kind: 'Unexpected', path, message: `Unexpected error: ${this.lastThrown}` });
      return;
    }
    if (result.status === 'ok') {
      this.drafts.clear();
      this.journaled.clear();
      this.draftBase.clear();
      this.view = result.data;
      this.track(result.data);
      this.error = null;
      this.alert = null;
      this.status = 'ready';
      this.external = null;
      this.compareRows = null;
      this.recovery = null;
      if (result.data.recoveryPending) {
        const offer = await this.guard(() => this.backend.recoveryOffer(result.data.docId));
        if (offer?.status === 'ok') this.recovery = offer.data;
      }
      void this.loadRecent();
    } else if (previous) {
      // Keep the document that is open; say why the other one did not open.
      this.alert = `Could not open ${path}: ${describeError(result.error)}`;
    } else {
      this.fail({ kind: result.error.kind, ...pathAndMessage(result.error) });
    }
  }

  private fail(error: LoadError) {
    this.view = null;
    this.error = error;
    this.status = 'error';
  }

  // ----- drafts ---------------------------------------------------------------------------

  /** The text a cue shows: its draft if it has one. */
  textOf(cue: CueDto): string {
    return this.drafts.get(cue.id) ?? cue.text;
  }

  /** A keystroke: updates the draft only and (re)starts the idle timer. Never waits. */
  setDraft(cueId: number, text: string) {
    if (!this.drafts.has(cueId)) {
      // What the cue said when typing began: a reload that changes it is then told, not hidden.
      const index = this.indexById.get(cueId);
      const cue = index === undefined ? undefined : this.view?.cues[index];
      if (cue) this.draftBase.set(cueId, cue.text);
    }
    this.drafts.set(cueId, text);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, DRAFT_IDLE_MS);
    this.scheduleJournal();
  }

  /** A max-wait, not a debounce: steady typing still reaches the journal every 50 ms. */
  private scheduleJournal() {
    if (this.journalTimer !== null) return;
    this.journalTimer = setTimeout(() => {
      this.journalTimer = null;
      void this.journalDrafts();
    }, DRAFT_JOURNAL_MS);
  }

  /** Sends the drafts that changed since they were last journaled (in the queue, so the cue
   * index is the one Rust holds). */
  private journalDrafts(): Promise<void> {
    return this.exclusive(async () => {
      const view = this.view;
      if (!view) return;
      for (const id of [...this.journaled.keys()]) if (!this.drafts.has(id)) this.journaled.delete(id);
      for (const [id, text] of [...this.drafts]) {
        const index = this.indexById.get(id);
        if (index === undefined || this.journaled.get(id) === text) continue;
        const result = await this.guard(() => this.backend.journalDraft(view.docId, index, text));
        if (result?.status === 'ok') this.journaled.set(id, text);
      }
    });
  }

  /** Sends every pending draft (on blur, idle, before unload). Resolves when Rust has answered. */
  flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.drafts.size === 0) return this.queue.then(() => undefined);
    return this.exclusive(() => this.flushNow());
  }

  /** Sends the drafts; must run inside the queue. Refused as stale (the file was reloaded in
   * Rust since this view), the view is fetched again and the drafts, kept by cue id, go to
   * the cues they were typed in, once. */
  private async flushNow(retry = true): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const view = this.view;
    if (!view || this.drafts.size === 0) return;
    const sent = new Map<number, string>();
    const edits: EditDto[] = [];
    for (const [id, text] of this.drafts) {
      const index = this.indexById.get(id);
      if (index === undefined) {
        this.drafts.delete(id); // the cue is gone (deleted or merged away)
        continue;
      }
      if (view.cues[index].text === text) {
        this.drafts.delete(id);
        continue;
      }
      sent.set(id, text);
      edits.push({ op: 'set_text', cue: index, text });
    }
    if (edits.length === 0) return;
    const result = await this.guard(() => this.backend.applyEdits(view.docId, view.revision, edits));
    if (result?.status === 'error' && result.error.kind === 'StaleRevision' && retry) {
      await this.refreshNow();
      this.draftsMetReload();
      return this.flushNow(false);
    }
    if (result?.status === 'ok') {
      this.accept(result.data);
      for (const [id, text] of sent) {
        // The edit replaces the journaled draft in Rust.
        this.journaled.delete(id);
        // Typed again meanwhile: keep the newer draft for the next flush.
        if (this.drafts.get(id) === text) this.drafts.delete(id);
      }
    } else if (result) {
      // Refused (e.g. text that would change how the file parses): keep the draft so
      // nothing typed is lost, and say why.
      this.alert = describeError(result.error);
    }
  }

  // ----- commands -------------------------------------------------------------------------

  /** Flushes the drafts, then runs a command that returns a new view. */
  command(call: (docId: number) => Promise<Result<DocumentView>>): Promise<boolean> {
    return this.exclusive(async () => {
      await this.flushNow();
      const view = this.view;
      if (!view) return false;
      const result = await this.guard(() => call(view.docId));
      if (result?.status === 'ok') {
        this.accept(result.data);
        this.alert = null;
        return true;
      }
      if (result) this.alert = describeError(result.error);
      if (result?.status === 'error' && result.error.kind === 'StaleRevision') {
        await this.refreshNow();
        this.draftsMetReload();
      }
      return false;
    });
  }

  /**
   * Runs a query that does not change the document, after the drafts are sent (`flush`,
   * for anything the user asked for) or without sending them (automatic refreshes while
   * typing: the UI then ignores results for cues that have a draft).
   */
  query<T>(call: (docId: number) => Promise<Result<T>>, flush = true): Promise<Result<T> | null> {
    return this.exclusive(async () => {
      if (flush) await this.flushNow();
      const view = this.view;
      if (!view) return null;
      return this.guard(() => call(view.docId));
    });
  }

  /** Edits by cue index, made against the view shown; refused as stale when Rust has
   * reloaded the file since, and then the view is fetched again (the user sees the new text
   * and asks again, instead of the edit landing on another cue). */
  edit(edits: EditDto[]): Promise<boolean> {
    return this.command((id) => this.backend.applyEdits(id, this.view?.revision ?? 0, edits));
  }

  undo(): Promise<boolean> {
    return this.command((id) => this.backend.undo(id));
  }

  redo(): Promise<boolean> {
    return this.command((id) => this.backend.redo(id));
  }

  save(): Promise<boolean> {
    return this.exclusive(async () => {
      await this.flushNow();
      const view = this.view;
      if (!view) return false;
      this.saving = true;
      try {
        const result = await this.guard(() => this.backend.saveDocument(view.docId));
        if (result?.status === 'ok') {
          this.accept(result.data);
          this.alert = null;
          return true;
        }
        if (result) this.alert = describeError(result.error);
        return false;
      } finally {
        this.saving = false;
      }
    });
  }

  /** Saves every document of this window that has unsaved changes (for "Save and close"). */
  saveAll(): Promise<boolean> {
    return this.exclusive(async () => {
      await this.flushNow();
      let allSaved = true;
      for (const [docId, doc] of this.openDocs) {
        if (!doc.dirty && docId !== this.view?.docId) continue;
        this.saving = true;
        const result = await this.guard(() => this.backend.saveDocument(docId));
        this.saving = false;
        if (result?.status === 'ok') {
          if (docId === this.view?.docId) this.accept(result.data);
          else this.track(result.data);
        } else {
          allSaved = false;
          if (result) this.alert = describeError(result.error);
        }
      }
      return allSaved;
    });
  }

  // ----- the safety net: autosave, outside changes, crash recovery -------------------------

  /** A `DocumentChanged` event from Rust. */
  onChanged(e: DocumentChanged) {
    const view = this.view;
    if (!view || e.docId !== view.docId) return;
    this.view = { ...view, saveStatus: e.saveStatus };
    switch (e.kind) {
      case 'status':
        return;
      case 'reloaded':
        this.notice = e.message;
        if (this.external?.kind !== 'save_failed') this.external = null;
        void this.refresh().then(() => this.draftsMetReload());
        return;
      case 'saved':
        if (this.external?.kind === 'save_failed' || this.external?.kind === 'deleted') this.external = null;
        break;
      case 'conflict':
        this.external = { kind: 'conflict', message: e.message ?? 'The file changed on disk.' };
        break;
      case 'deleted':
        this.external = { kind: 'deleted', message: e.message ?? 'The file was deleted or moved away.' };
        break;
      case 'save_failed':
      case 'journal_failed':
        this.external = { kind: 'save_failed', message: e.message ?? 'Could not save.' };
        break;
    }
    void this.refresh();
  }

  /**
   * After a reload: a draft typed into a cue that the change on disk also changed (or removed)
   * is kept, and the user is told (the draft goes in as its own undo step, so Undo brings theirs
   * back). Nothing typed is dropped and nothing of theirs is overwritten silently.
   */
  private draftsMetReload() {
    const view = this.view;
    if (!view) return;
    const clashes: string[] = [];
    for (const [id, base] of this.draftBase) {
      const draft = this.drafts.get(id);
      if (draft === undefined) {
        this.draftBase.delete(id);
        continue;
      }
      const index = this.indexById.get(id);
      if (index === undefined) {
        clashes.push(`a cue you were typing in was removed by the change on disk; your text was: “${draft}”`);
        this.drafts.delete(id);
        this.draftBase.delete(id);
      } else if (view.cues[index].text !== base) {
        clashes.push(`cue ${index + 1} also changed on disk while you were typing in it: your text is kept over theirs (Undo brings theirs back)`);
        this.draftBase.set(id, view.cues[index].text);
      }
    }
    if (clashes.length > 0) this.alert = `The file changed on disk: ${clashes.join('; ')}.`;
    // Rust dropped the journaled drafts with the old version: send them again.
    this.journaled.clear();
    if (this.drafts.size > 0) this.scheduleJournal();
  }

  /** Fetches the view again (after an event), without sending drafts. */
  refresh(): Promise<void> {
    return this.exclusive(() => this.refreshNow());
  }

  /** Fetches the view again; must run inside the queue. */
  private async refreshNow(): Promise<void> {
    const view = this.view;
    if (!view) return;
    const result = await this.guard(() => this.backend.getDocument(view.docId));
    if (result?.status === 'ok') this.accept(result.data);
  }

  /** Save As: asks for a path (the native dialog), writes there; that file is the document's
   * from now on. Also how edits to a file deleted or moved away are kept. */
  async saveAs(): Promise<boolean> {
    const view = this.view;
    if (!view) return false;
    await this.flush();
    const path = await this.backend.pickSavePath(view.path);
    if (!path) return false;
    const ok = await this.command((id) => this.backend.saveDocumentAs(id, path));
    if (ok && this.external?.kind === 'deleted') this.external = null;
    if (ok) this.notice = `Saved as ${path}`;
    return ok;
  }

  /** Conflict: "Reload theirs". */
  async reloadTheirs(): Promise<void> {
    if (await this.command((id) => this.backend.reloadTheirs(id))) this.resolved();
  }

  /** Conflict: "Keep mine". */
  async keepMine(): Promise<void> {
    if (await this.command((id) => this.backend.keepMine(id))) this.resolved();
  }

  /** Conflict: "Compare". */
  async compare(): Promise<void> {
    const result = await this.query((id) => this.backend.compareWithDisk(id));
    if (result?.status === 'ok') this.compareRows = result.data;
    else if (result) this.alert = describeError(result.error);
  }

  private resolved() {
    this.external = null;
    this.compareRows = null;
  }

  /** Crash recovery: "Restore unsaved edits". */
  async restoreUnsaved(): Promise<void> {
    if (await this.command((id) => this.backend.restoreUnsaved(id))) this.recovery = null;
  }

  /** Crash recovery: "Discard". */
  async discardUnsaved(): Promise<void> {
    if (await this.command((id) => this.backend.discardUnsaved(id))) this.recovery = null;
  }

  async loadSettings(): Promise<void> {
    const result = await this.guard(() => this.backend.getSettings());
    if (result?.status === 'ok') this.settings = result.data;
  }

  async setAutosave(on: boolean): Promise<void> {
    await this.updateSettings({ autosave: on });
  }

  /** Changes some settings and stores them (Rust applies them and keeps what it accepted). */
  async updateSettings(change: Partial<SettingsDto>): Promise<boolean> {
    const wanted = { ...this.settings, ...change };
    this.settings = wanted;
    const result = await this.guard(() => this.backend.setSettings(wanted));
    if (result?.status === 'ok') {
      this.settings = result.data;
      return true;
    }
    if (result) this.alert = describeError(result.error);
    return false;
  }

  /** True when any document of this window has unsaved changes. */
  get anyUnsaved(): boolean {
    if (this.drafts.size > 0 || this.view?.dirty) return true;
    for (const d of this.openDocs.values()) if (d.dirty) return true;
    return false;
  }

  /** Applies a view from Rust unless it is older than the one held. */
  private accept(next: DocumentView) {
    const current = this.view;
    if (current && current.docId === next.docId && next.revision < current.revision) return;
    this.view = next;
    this.track(next);
  }

  private track(view: DocumentView) {
    this.openDocs.set(view.docId, { fileName: view.fileName, dirty: view.dirty });
  }

  /** Runs `f` after everything queued before it; the queue survives failures. */
  private exclusive<T>(f: () => Promise<T>): Promise<T> {
    const run = this.queue.then(f, f);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private lastThrown = '';

  /** Calls the backend; a thrown exception (IPC failure) becomes an alert and `null`. */
  private async guard<T>(call: () => Promise<Result<T>>): Promise<Result<T> | null> {
    try {
      return await call();
    } catch (e) {
      this.lastThrown = String(e);
      this.alert = `Unexpected error: ${String(e)}`;
      return null;
    }
  }
}

function pathAndMessage(error: IpcError): { path: string; message: string } {
  const detail = error.detail as { path?: string; message?: string };
  return { path: detail.path ?? '', message: detail.message ?? describeError(error) };
}
