// The review pass in the window: the flags of the shown document (spelling, sounds-like) as
// Rust computes them, and the flag menu (Ctrl+. or the context menu on a flagged word).
//
// Flags never delay the first paint: they are asked for after the view is painted, and after
// every new view only what changed since the last answer comes back (Rust re-checks only the
// edited cues). Asking is read-only, so it does not go through the document's command queue;
// one request runs at a time and a view that arrives meanwhile asks again after it.

import type { Backend, CueDto, FlagDto, WordListDto } from '../ipc/backend';
import { validFlags } from '../components/segments';
import type { DocumentStore } from './document.svelte';

export type FlagMenuState = {
  cueId: number;
  flag: FlagDto;
  /** Known-word suggestions first (from the flag), then the dictionary's once they arrive. */
  suggestions: string[];
  loading: boolean;
  /** Where to show it (viewport px): below the flagged word. */
  x: number;
  y: number;
};

export class ReviewState {
  /** Flags by cue id (only cues that have some). Replaced, never mutated. */
  byCue = $state.raw(new Map<number, FlagDto[]>());
  /** No dictionary, an unreadable word list: shown in the window; editing goes on. */
  notice = $state<string | null>(null);
  /** The project's word list and glossary, or null outside a project. */
  projectWords = $state<string | null>(null);
  glossary = $state<string | null>(null);
  menu = $state.raw<FlagMenuState | null>(null);
  /** What the last action did ("Added … to …"), or why it failed. */
  message = $state<string | null>(null);
  /** After *Add to project words* in a project: the word whose other spellings can be fixed. */
  fixOthers = $state<string | null>(null);
  /** Answers received (tests wait on it). */
  answers = $state(0);

  private docId: number | null = null;
  private generation = 0;
  private running = false;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly backend: Backend,
    private readonly store: DocumentStore,
  ) {}

  /** The flags of `cue` that hold for the text it shows now. */
  flagsOf(cue: CueDto): FlagDto[] {
    const flags = this.byCue.get(cue.id);
    return flags ? validFlags(this.store.textOf(cue), flags) : [];
  }

  /** Asks for the flags after the next paint (called after every new view). */
  schedule() {
    if (this.timer !== null) return;
    const run = () => {
      this.timer = null;
      void this.refresh();
    };
    if (typeof requestAnimationFrame === 'undefined') this.timer = setTimeout(run, 0);
    else this.timer = setTimeout(() => requestAnimationFrame(() => run()), 0);
  }

  async refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        const view = this.store.view;
        if (!view) return;
        if (view.docId !== this.docId) {
          this.docId = view.docId;
          this.generation = 0;
          this.byCue = new Map();
          this.menu = null;
        }
        const docId = view.docId;
        const since = this.generation;
        const result = await this.backend.reviewFlags(docId, since);
        if (result.status !== 'ok' || this.docId !== docId || this.generation !== since) continue;
        const v = result.data;
        // from 0 (asked so, or Rust started over): the answer is the whole picture
        const next = v.since === 0 ? new Map<number, FlagDto[]>() : new Map(this.byCue);
        for (const c of v.cues) {
          if (c.flags.length === 0) next.delete(c.cueId);
          else next.set(c.cueId, c.flags);
        }
        this.byCue = next;
        this.generation = v.generation;
        this.notice = v.notice;
        this.projectWords = v.projectWords;
        this.glossary = v.glossary;
        this.answers++;
      } while (this.again);
    } finally {
      this.running = false;
    }
  }

  // ----- the flag menu ------------------------------------------------------------------

  async openMenu(cueId: number, flag: FlagDto, x: number, y: number) {
    const docId = this.store.view?.docId;
    if (docId === undefined) return;
    this.message = null;
    this.menu = { cueId, flag, suggestions: [...flag.suggestions], loading: flag.kind === 'spelling', x, y };
    if (flag.kind !== 'spelling') return;
    const result = await this.backend.flagSuggestions(docId, flag.text);
    const menu = this.menu;
    if (!menu || menu.flag !== flag) return;
    const all = [...menu.suggestions];
    if (result.status === 'ok') for (const s of result.data) if (!all.includes(s)) all.push(s);
    this.menu = { ...menu, suggestions: all.slice(0, 5), loading: false };
  }

  closeMenu() {
    this.menu = null;
  }

  /** Adds the flagged word to the project's or the user's list; the flags are checked again. */
  async addWord(word: string, list: WordListDto): Promise<boolean> {
    const docId = this.store.view?.docId;
    if (docId === undefined) return false;
    const result = await this.backend.addKnownWord(docId, word, list);
    if (result.status !== 'ok') {
      this.message = `Not added: ${'message' in result.error.detail ? result.error.detail.message : result.error.kind}`;
      return false;
    }
    this.message = result.data.added ? `Added “${word}” to ${result.data.file}.` : `“${word}” is already in ${result.data.file}.`;
    await this.refresh();
    return true;
  }

  async ignore(text: string) {
    const result = await this.backend.ignoreFlagged(text);
    if (result.status === 'ok') this.message = `“${text}” is not flagged again in this session.`;
    await this.refresh();
  }

  async reject(cueId: number, flag: FlagDto) {
    const docId = this.store.view?.docId;
    const name = flag.suggestions[0];
    if (docId === undefined || name === undefined) return;
    const result = await this.backend.rejectFlag(docId, cueId, flag.text, name);
    this.message =
      result.status === 'ok'
        ? `“${flag.text}” is not flagged as “${name}” in this cue again.`
        : `Not remembered: ${'message' in result.error.detail ? result.error.detail.message : result.error.kind}`;
    await this.refresh();
  }

  async addToGlossary(wrong: string, right: string) {
    const docId = this.store.view?.docId;
    if (docId === undefined) return;
    const result = await this.backend.addGlossaryEntry(docId, wrong, right);
    this.message =
      result.status === 'ok'
        ? `Added “${wrong}” → “${right}” to ${result.data.file}.`
        : `Not added to the glossary: ${'message' in result.error.detail ? result.error.detail.message : result.error.kind}`;
    await this.refresh();
  }
}
