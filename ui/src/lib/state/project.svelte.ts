// Repository mode in the UI: the folder open as a project (its files' state for the sidebar),
// the "Search project" panel (Ctrl+Shift+F): search as you type, a replace preview to review
// hit by hit, apply as one operation with progress, one undo; and the glossary.
//
// Rust keeps one plan under review (the newest one it made), so every call that makes or
// changes a plan goes through one queue here, and the UI knows which plan is Rust's current one:
// a preview is applied only by its own id, and a stale one is made again rather than applied.

import type {
  Backend,
  IpcError,
  PlanDto,
  PlanTarget,
  ProjectChangeDto,
  ProjectChanged,
  ProjectFileDto,
  ProjectProgress,
  ProjectSearchDto,
  ProjectView,
  Result,
  SearchQueryDto,
} from '../ipc/backend';
import { describeError, type DocumentStore } from './document.svelte';

/** Typing pauses this long before a search or a preview runs. */
export const SEARCH_DELAY_MS = 80;
/** The project's view (file states) is fetched again at most this often after changes. */
const VIEW_REFRESH_MS = 300;

export type PanelTab = 'search' | 'glossary';
type PlanOwner = 'replace' | 'glossary';

/** A sentence for an error of a project command (never thrown). */
function message(error: IpcError): string {
  if (error.kind === 'Unsupported' || error.kind === 'Conflict' || error.kind === 'Io') return error.detail.message;
  return describeError(error);
}

export class ProjectState {
  /** The open project, or null. */
  view = $state.raw<ProjectView | null>(null);
  /** The folder being indexed (`openProject` in flight), or null. */
  indexing = $state<string | null>(null);
  /** Why the folder could not be opened as a project. */
  openError = $state<string | null>(null);

  // ----- the panel --------------------------------------------------------------------------
  panelOpen = $state(false);
  tab = $state<PanelTab>('search');
  /** Bumped to move the focus into "Search project". */
  focusRequest = $state(0);

  pattern = $state('');
  replacement = $state('');
  matchCase = $state(false);
  wholeWord = $state(false);
  regex = $state(false);

  readonly query: SearchQueryDto = $derived({
    pattern: this.pattern,
    regex: this.regex,
    wholeWord: this.wholeWord,
    matchCase: this.matchCase,
  });
  /** A replacement is typed: the results are a preview of the replace. */
  readonly replacing = $derived(this.replacement !== '');

  /** The newest search answer shown. */
  results = $state.raw<ProjectSearchDto | null>(null);
  /** A search or preview is on its way. */
  busy = $state(false);
  /** Why the search or preview failed (a bad regex, no project). */
  queryError = $state<string | null>(null);

  /** The replace preview under review. */
  plan = $state.raw<PlanDto | null>(null);
  /** Files changed on disk since the preview was made. */
  planStale = $state(false);

  /** The glossary's plan under review, and why it could not be made. */
  glossaryPlan = $state.raw<PlanDto | null>(null);
  glossaryError = $state<string | null>(null);
  glossaryBusy = $state(false);

  /** An apply is running; its progress from `ProjectProgress` events. */
  applying = $state(false);
  progress = $state.raw<ProjectProgress | null>(null);
  /** What the last apply or undo did ("Replaced 40 in 41 files."). */
  outcome = $state.raw<ProjectChangeDto | null>(null);
  /** Why the last apply or undo failed. */
  actionError = $state<string | null>(null);
  /** A project replace can be undone. */
  canUndo = $state(false);

  /** Each transcript of the project by path (for the sidebar's marks). */
  readonly files = $derived.by(() => {
    const map = new Map<string, ProjectFileDto>();
    for (const ep of this.view?.episodes ?? []) for (const f of ep.files) map.set(f.path, f);
    return map;
  });

  /** The audio files of each transcript's episode, by transcript path (for the sidebar). */
  readonly audioOf = $derived.by(() => {
    const map = new Map<string, string[]>();
    for (const ep of this.view?.episodes ?? []) for (const f of ep.files) map.set(f.path, ep.audio);
    return map;
  });

  private generation = 0;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private viewTimer: ReturnType<typeof setTimeout> | null = null;
  private opening: Promise<void> = Promise.resolve();
  /** Calls that make or change Rust's plan under review, one at a time. */
  private planQueue: Promise<unknown> = Promise.resolve();
  /** Bumped by every preview asked for: only the newest one is shown. */
  private planSeq = 0;
  /** Which plan Rust holds now (its id and what it is for). */
  private current: { id: number; owner: PlanOwner } | null = null;

  constructor(
    private readonly backend: Backend,
    private readonly store: DocumentStore,
  ) {}

  // ----- the project --------------------------------------------------------------------

  /** Opens `root` as the project (indexing it: "Indexing…" meanwhile). */
  open(root: string): Promise<void> {
    if (this.view?.root === root || this.indexing === root) return this.opening;
    this.indexing = root;
    this.openError = null;
    this.opening = (async () => {
      const result = await this.guard(() => this.backend.openProject(root));
      if (this.indexing !== root) return;
      this.indexing = null;
      if (result?.status === 'ok') {
        this.view = result.data;
        this.current = null;
        this.plan = null;
        this.glossaryPlan = null;
        this.results = null;
        this.canUndo = false;
        this.outcome = null;
        if (this.panelOpen) this.rerun(0);
      } else if (result) {
        this.openError = message(result.error);
      }
    })();
    return this.opening;
  }

  /** Fetches the project's view again soon (file states after edits, saves, outside changes). */
  scheduleViewRefresh(delay = VIEW_REFRESH_MS) {
    if (this.view === null) return;
    if (this.viewTimer !== null) clearTimeout(this.viewTimer);
    this.viewTimer = setTimeout(() => {
      this.viewTimer = null;
      void this.refreshView();
    }, delay);
  }

  async refreshView(): Promise<void> {
    const result = await this.guard(() => this.backend.projectView());
    if (result?.status === 'ok') this.view = result.data;
  }

  /** `ProjectChanged`: files changed on disk. Searches run again; a preview is marked stale. */
  onChanged(_e: ProjectChanged) {
    this.scheduleViewRefresh();
    if (this.plan !== null && this.replacing) this.planStale = true;
    else if (this.panelOpen && this.pattern !== '' && !this.replacing) this.rerun();
  }

  onProgress(e: ProjectProgress) {
    if (this.applying) this.progress = e;
  }

  // ----- the panel --------------------------------------------------------------------------

  openPanel() {
    this.panelOpen = true;
    this.tab = 'search';
    this.focusRequest++;
    if (this.pattern !== '') this.rerun(0);
  }

  closePanel() {
    this.panelOpen = false;
  }

  setTab(tab: PanelTab) {
    this.tab = tab;
    if (tab === 'search' && this.replacing && this.pattern !== '' && !this.isCurrent(this.plan, 'replace')) this.rerun(0);
    // The glossary is checked when its tab opens (again if another plan took its place).
    if (tab === 'glossary' && !this.glossaryBusy && !this.isCurrent(this.glossaryPlan, 'glossary')) void this.checkGlossary();
  }

  /** The query, the replacement or an option changed: search (or preview) again shortly. */
  rerun(delay = SEARCH_DELAY_MS) {
    if (this.searchTimer !== null) clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => {
      this.searchTimer = null;
      void this.runNow();
    }, delay);
  }

  /** Searches (or previews the replace) now. */
  async runNow(): Promise<void> {
    if (this.searchTimer !== null) {
      clearTimeout(this.searchTimer);
      this.searchTimer = null;
    }
    await this.opening;
    if (this.pattern === '') {
      this.generation++;
      this.planSeq++;
      this.results = null;
      this.plan = null;
      this.queryError = null;
      this.busy = false;
      return;
    }
    if (this.replacing) await this.preview();
    else await this.search();
  }

  private async search(): Promise<void> {
    const generation = ++this.generation;
    this.planSeq++; // a preview still on its way is not shown any more
    this.busy = true;
    const result = await this.guard(() => this.backend.searchProject(this.query, generation));
    // Only the newest query's answer is shown; `null` is a query cancelled by a newer one.
    if (generation !== this.generation) return;
    this.busy = false;
    if (!result) return;
    if (result.status === 'error') {
      this.queryError = message(result.error);
      this.results = null;
      return;
    }
    if (result.data === null || result.data.generation !== generation) return;
    this.queryError = null;
    this.results = result.data;
    this.plan = null;
  }

  private async preview(): Promise<void> {
    const seq = ++this.planSeq;
    this.generation++; // a search still on its way is not shown any more
    const query = this.query;
    const replacement = this.replacement;
    this.busy = true;
    await this.store.flush();
    await this.queued(async () => {
      // A newer preview was asked for meanwhile: it runs next, this one would be thrown away.
      if (seq !== this.planSeq) return;
      const result = await this.guard(() => this.backend.planProjectReplace(query, replacement));
      if (result?.status === 'ok') this.current = { id: result.data.planId, owner: 'replace' };
      if (seq !== this.planSeq) return;
      this.busy = false;
      if (!result) return;
      if (result.status === 'error') {
        this.queryError = message(result.error);
        this.plan = null;
        return;
      }
      this.queryError = null;
      this.plan = result.data;
      this.planStale = false;
      this.results = null;
    });
  }

  private isCurrent(plan: PlanDto | null, owner: PlanOwner): boolean {
    return plan !== null && this.current !== null && this.current.id === plan.planId && this.current.owner === owner;
  }

  /** Includes or excludes a hit (with its partner) or a file, in the replace or glossary plan. */
  async setIncluded(owner: PlanOwner, target: PlanTarget, included: boolean): Promise<void> {
    await this.queued(async () => {
      const plan = owner === 'replace' ? this.plan : this.glossaryPlan;
      if (!plan) return;
      const result = await this.guard(() => this.backend.setPlanIncluded(plan.planId, target, included));
      if (!result) return;
      const now = owner === 'replace' ? this.plan : this.glossaryPlan;
      if (now?.planId !== plan.planId) return; // replaced by a newer preview meanwhile
      if (result.status === 'error') {
        this.actionError = message(result.error);
        return;
      }
      if (owner === 'replace') this.plan = result.data;
      else this.glossaryPlan = result.data;
    });
  }

  /** "Replace all" / "Apply accepted": applies the plan under review as one operation. */
  async apply(owner: PlanOwner): Promise<boolean> {
    if (this.applying) return false;
    await this.store.flush();
    return this.queued(async () => {
      const plan = owner === 'replace' ? this.plan : this.glossaryPlan;
      if (!plan) return false;
      if (!this.isCurrent(plan, owner)) {
        this.actionError = 'That preview is out of date: it was made again, check it and apply again.';
        if (owner === 'replace') this.rerun(0);
        else void this.checkGlossary();
        return false;
      }
      this.applying = true;
      this.progress = { done: 0, total: plan.counts.includedFiles, stage: 'preparing' };
      this.actionError = null;
      this.outcome = null;
      const result = await this.guard(() => this.backend.applyProjectPlan(plan.planId));
      this.applying = false;
      this.progress = null;
      this.current = null; // applied or refused: Rust no longer holds it
      if (!result) return false;
      if (result.status === 'error') {
        this.actionError = message(result.error);
        await this.afterChange(owner);
        return false;
      }
      this.outcome = result.data;
      this.canUndo = result.data.canUndo;
      await this.afterChange(owner);
      return true;
    });
  }

  /** "Undo replace" (also Ctrl+Z in the panel): the last project replace, in every file. */
  async undo(): Promise<boolean> {
    if (this.applying) return false;
    await this.store.flush();
    return this.queued(async () => {
      const result = await this.guard(() => this.backend.undoProjectReplace());
      if (!result) return false;
      if (result.status === 'error') {
        this.actionError = message(result.error);
        return false;
      }
      this.actionError = null;
      this.outcome = result.data;
      this.canUndo = result.data.canUndo;
      await this.afterChange(this.tab === 'glossary' ? 'glossary' : 'replace');
      return true;
    });
  }

  /** After an apply or undo: the shown document, the file states and the results again. */
  private async afterChange(owner: PlanOwner) {
    await this.store.refresh();
    this.scheduleViewRefresh(0);
    if (owner === 'glossary') {
      if (this.glossaryPlan !== null) void this.checkGlossary();
      this.plan = null;
    } else {
      this.plan = null;
      this.glossaryPlan = null;
    }
    if (this.pattern !== '' && (owner === 'replace' || !this.replacing)) this.rerun(0);
  }

  /** "Check glossary": every glossary hit in the project, for review. */
  async checkGlossary(): Promise<void> {
    this.glossaryBusy = true;
    await this.store.flush();
    await this.queued(async () => {
      const result = await this.guard(() => this.backend.planGlossary());
      this.glossaryBusy = false;
      if (!result) return;
      if (result.status === 'error') {
        this.glossaryError = message(result.error);
        this.glossaryPlan = null;
        return;
      }
      this.current = { id: result.data.planId, owner: 'glossary' };
      this.glossaryError = null;
      this.glossaryPlan = result.data;
    });
  }

  // ----- plumbing ---------------------------------------------------------------------------

  private queued<T>(f: () => Promise<T>): Promise<T> {
    const run = this.planQueue.then(f, f);
    this.planQueue = run.catch(() => undefined);
    return run;
  }

  /** Calls the backend; a thrown exception becomes an error in the panel and `null`. */
  private async guard<T>(call: () => Promise<Result<T>>): Promise<Result<T> | null> {
    try {
      return await call();
    } catch (e) {
      this.actionError = `Unexpected error: ${String(e)}`;
      this.busy = false;
      this.glossaryBusy = false;
      return null;
    }
  }
}
