// What changed since the last commit (issue 14), as the window shows it: the open document's
// change marks (fetched again for every new view, so they follow edits, undo, saves and outside
// changes), the look at one change beside its cue, Revert to last commit, Next/Previous change,
// the work tree's changed files (sidebar, Changes view) and the commit dialog. Rust computes
// every change (cueline-git); this store only asks and remembers the newest answer.

import type {
  Backend,
  DocumentView,
  GitChangeDto,
  GitChangeRef,
  GitFileDto,
  GitMarkDto,
  GitMarksDto,
  GitStatusDto,
} from '../ipc/backend';
import { describeError, type DocumentStore } from './document.svelte';

/** One episode's changed files, its `.vtt` and `.txt` together. */
export type GitEpisode = { episode: string; files: GitFileDto[] };

/** Changed files grouped by episode (folder and name without extension), in path order. */
export function episodesOf(files: GitFileDto[]): GitEpisode[] {
  const out: GitEpisode[] = [];
  const by = new Map<string, GitEpisode>();
  for (const f of files) {
    let e = by.get(f.episode);
    if (!e) {
      e = { episode: f.episode, files: [] };
      by.set(f.episode, e);
      out.push(e);
    }
    e.files.push(f);
  }
  return out;
}

/** The cue index of the change after (`+1`) or before (`-1`) cue `from`, wrapping around. */
export function nextChangeAt(marks: GitMarkDto[], from: number | null, delta: 1 | -1): number | null {
  if (marks.length === 0) return null;
  const ats = [...new Set(marks.map((m) => m.at))].sort((a, b) => a - b);
  if (from === null) return delta > 0 ? ats[0] : ats[ats.length - 1];
  if (delta > 0) return ats.find((a) => a > from) ?? ats[0];
  for (let k = ats.length - 1; k >= 0; k--) if (ats[k] < from) return ats[k];
  return ats[ats.length - 1];
}

export const KIND_LABEL: Record<GitMarkDto['kind'], string> = {
  text: 'Text changed',
  timing: 'Timing changed',
  text_timing: 'Text and timing changed',
  inserted: 'New cue',
  deleted: 'Cue deleted',
};

export class GitState {
  /** The newest marks answer for the open document. */
  marks = $state.raw<GitMarksDto | null>(null);
  /** The work tree's changed files (sidebar, Changes view, commit dialog). */
  status = $state.raw<GitStatusDto | null>(null);
  /** The change shown beside its cue, and its details. */
  openChange = $state.raw<GitChangeRef | null>(null);
  detail = $state.raw<GitChangeDto | null>(null);
  /** The Changes view (every changed file of the project) is shown. */
  changesOpen = $state(false);
  /** A message about a git action (a refused revert), shown in the header. */
  notice = $state<string | null>(null);

  /** What the last marks request was for: `docId:revision:saveStatus`. */
  private asked = '';
  private generation = 0;

  constructor(
    private readonly backend: Backend,
    private readonly store: DocumentStore,
  ) {}

  /** The marks belong to the open document (they may lag one edit behind while fetched). */
  readonly current = $derived.by(() => {
    const m = this.marks;
    const v = this.store.view;
    return m && v && m.docId === v.docId && m.state === 'ready' ? m : null;
  });

  /** git refused to work here (dubious ownership): its message. */
  readonly refused = $derived(this.marks?.state === 'refused' ? this.marks.message : this.status?.state === 'refused' ? this.status.message : null);

  /** The git features show (a work tree, git present). */
  readonly available = $derived(this.current !== null || this.status?.state === 'ready');

  /** Marks on cues by index (every change but deleted ones). */
  readonly byCue = $derived.by(() => {
    const map = new Map<number, GitMarkDto>();
    for (const m of this.current?.marks ?? []) if (m.kind !== 'deleted') map.set(m.at, m);
    return map;
  });

  /** Deleted cues by the index of the cue that now follows them. */
  readonly deletedAt = $derived.by(() => {
    const map = new Map<number, GitMarkDto[]>();
    for (const m of this.current?.marks ?? []) {
      if (m.kind !== 'deleted') continue;
      const list = map.get(m.at);
      if (list) list.push(m);
      else map.set(m.at, [m]);
    }
    return map;
  });

  /** Changed files by absolute path (the sidebar's marks). */
  readonly fileByPath = $derived.by(() => {
    const map = new Map<string, GitFileDto>();
    for (const f of this.status?.state === 'ready' ? this.status.files : []) map.set(f.absPath, f);
    return map;
  });

  /** The changed file at `path` (absolute; the folder may be named through a link, so the
   * path relative to the root decides when the absolute one is not known). */
  fileAt(path: string): GitFileDto | undefined {
    const exact = this.fileByPath.get(path);
    if (exact) return exact;
    for (const f of this.fileByPath.values()) if (path.endsWith(`/${f.path}`)) return f;
    return undefined;
  }

  /** "N cues changed since the last commit", or null when git features are hidden. */
  readonly summary = $derived.by(() => {
    const m = this.current;
    if (!m) return null;
    if (!m.hasCommit) return 'No commit yet: every cue is new';
    if (!m.inHead) return 'Not in the last commit: every cue is new';
    if (m.changed === 0) return 'No changes since the last commit';
    return `${m.changed} ${m.changed === 1 ? 'cue' : 'cues'} changed since the last commit`;
  });

  /** Asks for the marks of `view` unless they were asked for it already. */
  sync(view: DocumentView | null) {
    if (!view) return;
    const key = `${view.docId}:${view.revision}:${view.saveStatus}`;
    if (key === this.asked) return;
    const [docId, , status] = this.asked.split(':');
    const refresh = docId !== String(view.docId) || (status !== 'saved' && view.saveStatus === 'saved');
    this.asked = key;
    void this.refreshMarks(refresh);
  }

  /** Fetches the marks of the open document (`refresh`: look at HEAD again). */
  async refreshMarks(refresh = false): Promise<void> {
    const gen = ++this.generation;
    const result = await this.store.query((id) => this.backend.gitMarks(id, refresh), false);
    if (gen !== this.generation || result?.status !== 'ok') return;
    this.marks = result.data;
    if (this.openChange && !result.data.marks.some((m) => same(m.change, this.openChange))) this.closeChange();
    else if (this.openChange) void this.loadDetail(this.openChange);
  }

  /** Where to ask git about the work tree: the open folder, else the open document. */
  near(): string | null {
    return this.store.folder?.root ?? this.store.view?.path ?? null;
  }

  /** Fetches the work tree's changed files. */
  async refreshStatus(): Promise<void> {
    const near = this.near();
    if (near === null || this.store.view?.isDemo && !this.store.folder) {
      this.status = null;
      return;
    }
    const result = await this.backend.gitStatus(near);
    if (result.status === 'ok') this.status = result.data;
  }

  /** Shows the committed version of a change beside its cue (again: hides it). */
  async toggleChange(change: GitChangeRef): Promise<void> {
    if (this.openChange && same(this.openChange, change)) {
      this.closeChange();
      return;
    }
    this.openChange = change;
    await this.loadDetail(change);
  }

  private async loadDetail(change: GitChangeRef) {
    const result = await this.store.query((id) => this.backend.gitChange(id, change), false);
    if (!this.openChange || !same(this.openChange, change)) return;
    if (result?.status === 'ok') this.detail = result.data;
    else this.closeChange();
  }

  closeChange() {
    this.openChange = null;
    this.detail = null;
  }

  /** Revert to last commit: the cue as committed, as one undo step. */
  async revert(change: GitChangeRef): Promise<boolean> {
    const ok = await this.store.command((id) => this.backend.gitRevertCue(id, change));
    if (ok) this.closeChange();
    return ok;
  }

  /** Shown when a git call fails outside the document's own alerts. */
  say(error: Parameters<typeof describeError>[0]) {
    this.notice = describeError(error);
  }
}

export function same(a: GitChangeRef | null, b: GitChangeRef | null): boolean {
  return a !== null && b !== null && a.deleted === b.deleted && a.cue === b.cue;
}
