// Review progress as the UI sees it: the mark of each cue of the shown document (unreviewed,
// listened, checked), its counts for the header, and each project file's counts for the
// sidebar. Rust owns the marks (crates/progress): they follow edits, outside changes and
// playback there; this class fetches them after every change of the document, takes the
// `ProgressChanged` events playback sends, and asks Rust to toggle a mark or find the next cue
// that is not checked.

import type { Backend, MarkDto, ProgressSummary, ProgressView } from '../ipc/backend';
import type { DocumentStore } from './document.svelte';

/** "412 of 1,433 checked". */
export function checkedLabel(checked: number, total: number): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return `${n(checked)} of ${n(total)} checked`;
}

export class ReviewProgress {
  /** The marks of the shown document (null before the first answer). */
  view = $state.raw<ProgressView | null>(null);
  /** Counts of project files by path (as the sidebar lists them). */
  summaries = $state.raw<Map<string, ProgressSummary>>(new Map());
  /** The last thing that went wrong. */
  error = $state<string | null>(null);
  private generation = 0;

  constructor(
    private readonly backend: Backend,
    private readonly store: DocumentStore,
  ) {}

  /** The mark of cue `index` of the shown document. */
  markOf(index: number): MarkDto {
    const v = this.view;
    if (!v || v.docId !== this.store.view?.docId) return 'unreviewed';
    return v.marks[index] ?? 'unreviewed';
  }

  /** Fetches the marks of the shown document (after any change of it). */
  async refresh(): Promise<void> {
    const docId = this.store.view?.docId;
    if (docId === undefined) return;
    const generation = ++this.generation;
    const result = await this.backend.reviewProgress(docId);
    if (generation !== this.generation) return;
    if (result.status === 'ok') this.take(result.data);
    else this.error = 'Review progress is not available.';
  }

  /** Playback made cues listened (or a command answered). */
  take(view: ProgressView) {
    if (view.docId !== this.store.view?.docId) return;
    this.view = view;
    this.error = null;
    const path = this.store.view.path;
    if (path) {
      const next = new Map(this.summaries);
      next.set(path, { path, checked: view.checked, listened: view.listened, total: view.total });
      this.summaries = next;
    }
  }

  /** Ctrl+K on cue `index`: the draft goes first, so the edit and the mark are in order. */
  async toggle(index: number): Promise<void> {
    const docId = this.store.view?.docId;
    if (docId === undefined) return;
    await this.store.flush();
    this.generation++;
    const result = await this.backend.toggleChecked(docId, index);
    if (result.status === 'ok') this.take(result.data);
    else this.error = 'Cannot change the mark of this cue.';
  }

  /** The next (or previous) cue after `from` that is not checked, or null when all are. */
  async next(from: number | null, forward: boolean): Promise<number | null> {
    const docId = this.store.view?.docId;
    if (docId === undefined) return null;
    await this.store.flush();
    const result = await this.backend.nextUnreviewed(docId, from, forward);
    return result.status === 'ok' ? result.data : null;
  }

  /** Counts of the sidebar's files. */
  async refreshSummaries(paths: string[]): Promise<void> {
    if (paths.length === 0) return;
    const result = await this.backend.progressSummaries(paths);
    if (result.status !== 'ok') return;
    this.summaries = new Map(result.data.map((s) => [s.path, s]));
  }
}
