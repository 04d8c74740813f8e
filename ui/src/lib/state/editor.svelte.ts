// What the editor's commands do: one handler per command id of the keyboard map, used by
// the shortcuts, the buttons and the native menu alike. Also the UI-only state around the
// document: the current cue and its caret, the find bar, and which dialog is open.

import { tick } from 'svelte';
import type { Backend, CueDto, FindHit, SearchQueryDto } from '../ipc/backend';
import type { CommandId } from '../keymap';
import { charCount, splitTime, utf16ToChars } from '../time';
import { clock as formatClock } from './player.svelte';
import { DocumentStore } from './document.svelte';
import { PlayerState, cueAt } from './player.svelte';
import { ProjectState } from './project.svelte';
import { ReviewState } from './review.svelte';
import type { FlagDto } from '../ipc/backend';
import { ReviewProgress } from './progress.svelte';
import { GitState, nextChangeAt } from './git.svelte';

export type Dialog = 'cheat-sheet' | 'go-to-time' | 'close' | 'settings' | 'commit' | null;

/** Start/end nudge step. */
export const NUDGE_MS = 100;
/** After typing or scrolling, the list does not follow the playhead for this long. */
export const FOLLOW_PAUSE_MS = 2500;

/** What the cue list offers the controller: scrolling a cue into view. */
export interface ListHandle {
  reveal(index: number): void;
}

const INSERT_LENGTH_MS = 2000;
const FIND_DELAY_MS = 150;

export class FindState {
  open = $state(false);
  /** The replace row is shown (Ctrl+H). */
  replace = $state(false);
  pattern = $state('');
  replacement = $state('');
  matchCase = $state(false);
  wholeWord = $state(false);
  regex = $state(false);
  hits = $state.raw<FindHit[]>([]);
  /** Index into `hits` of the current match, or -1. */
  current = $state(-1);
  error = $state<string | null>(null);
  /** Bumped to move focus into the find field. */
  focusRequest = $state(0);

  readonly query: SearchQueryDto = $derived({
    pattern: this.pattern,
    regex: this.regex,
    wholeWord: this.wholeWord,
    matchCase: this.matchCase,
  });

  /** Hits by cue index, each with its position in `hits`. */
  readonly byCue = $derived.by(() => {
    const map = new Map<number, { hit: FindHit; n: number }[]>();
    this.hits.forEach((hit, n) => {
      const list = map.get(hit.cue);
      if (list) list.push({ hit, n });
      else map.set(hit.cue, [{ hit, n }]);
    });
    return map;
  });

  readonly count = $derived(
    this.pattern === ''
      ? ''
      : this.hits.length === 0
        ? 'No matches'
        : this.current >= 0
          ? `${this.current + 1} of ${this.hits.length}`
          : `${this.hits.length} ${this.hits.length === 1 ? 'match' : 'matches'}`,
  );
}

export class EditorController {
  readonly store: DocumentStore;
  readonly find = new FindState();
  dialog = $state<Dialog>(null);
  /** The cue the per-cue commands act on: the one focused last. */
  currentCueId = $state<number | null>(null);
  list: ListHandle | null = null;
  /** Where the caret was when a cue's text field was last left, by cue id (UTF-16). */
  private readonly carets = new Map<number, number>();
  private findTimer: ReturnType<typeof setTimeout> | null = null;

  readonly player: PlayerState;
  /** The folder open as a project: its search panel, replace previews and glossary. */
  readonly project: ProjectState;
  /** Spelling and sounds-like flags of the shown document, and the flag menu. */
  readonly flags: ReviewState;
  /** Review progress: each cue's mark, the counts, next unreviewed. */
  readonly review: ReviewProgress;
  /** What changed since the last commit (marks, the look at a change, commit). */
  readonly git: GitState;
  /** When the user last typed in a cue or scrolled the list (the list then stops following). */
  lastTypedAt = -Infinity;
  lastScrolledAt = -Infinity;
  /** Set while the settings panel waits for a new chord: receives it (or null for none). */
  captureKey: ((chord: string | null) => void) | null = null;
  /** A short message about a playback or timing command (e.g. no cue under the playhead). */
  playbackNotice = $state<string | null>(null);

  constructor(readonly backend: Backend) {
    this.store = new DocumentStore(backend);
    this.player = new PlayerState(backend);
    this.project = new ProjectState(backend, this.store);
    this.flags = new ReviewState(backend, this.store);
    this.review = new ReviewProgress(backend, this.store);
    this.git = new GitState(backend, this.store);
  }

  /** The cue under the playhead (follow-along), or null. */
  readonly playingIndex = $derived.by(() => {
    if (!this.player.hasAudio) return null;
    return cueAt(this.store.view?.cues ?? [], this.player.positionMs);
  });

  /** Whether the list should scroll to the playing cue now. */
  shouldFollow(now = performance.now()): boolean {
    return this.player.playing && now - this.lastTypedAt > FOLLOW_PAUSE_MS && now - this.lastScrolledAt > FOLLOW_PAUSE_MS;
  }

  readonly currentIndex = $derived.by(() => {
    const id = this.currentCueId;
    if (id === null) return null;
    return this.store.indexById.get(id) ?? null;
  });

  // ----- running commands -----------------------------------------------------------------

  /** The timing command running now; the next one starts when it has its answer. */
  private timingTurn: Promise<void> = Promise.resolve();

  /**
   * Runs `task` after the timing commands before it have their answers. A nudge reads the cue's
   * time from the view: two nudges typed faster than the backend answers would otherwise both
   * start from the same time, and one of them would be lost.
   */
  private inTurn(task: () => Promise<unknown>): Promise<void> {
    const run = this.timingTurn.then(
      () => task(),
      () => task(),
    );
    this.timingTurn = run.then(
      () => undefined,
      () => undefined,
    );
    return this.timingTurn;
  }

  /** Runs a command by id (shortcut, button or menu). */
  async run(id: CommandId): Promise<void> {
    if (this.dialog !== null && id !== 'close-dialog' && id !== 'cheat-sheet') return;
    switch (id) {
      case 'play-pause':
        await this.player.toggle();
        return;
      case 'skip-back':
      case 'skip-forward':
        await this.player.skip((id === 'skip-back' ? -1 : 1) * this.store.settings.skipMs);
        return;
      case 'slower':
      case 'faster':
        await this.player.nudgeSpeed(id === 'faster' ? 1 : -1);
        return;
      case 'play-cue': {
        const cur = this.current();
        if (cur) await this.playFrom(cur.index);
        return;
      }
      case 'loop-cue':
        await this.loopCue();
        return;
      case 'jump-to-playhead':
        await this.jumpToPlayhead();
        return;
      case 'set-start':
      case 'set-end':
        await this.inTurn(() => this.setFromPlayhead(id === 'set-start' ? 'start' : 'end'));
        return;
      case 'start-earlier':
      case 'start-later':
        await this.inTurn(() => this.nudge('start', id === 'start-later' ? NUDGE_MS : -NUDGE_MS));
        return;
      case 'end-earlier':
      case 'end-later':
        await this.inTurn(() => this.nudge('end', id === 'end-later' ? NUDGE_MS : -NUDGE_MS));
        return;
      case 'insert-at-playhead':
        await this.insertAtPlayhead();
        return;
      case 'split-at-playhead':
        await this.splitCue(true);
        return;
      case 'attach-audio':
        await this.attachAudio();
        return;
      case 'settings':
        this.dialog = 'settings';
        return;
      case 'open-file': {
        await this.store.flush();
        const path = await this.backend.pickFile();
        if (path) await this.store.open(path);
        return;
      }
      case 'open-folder': {
        await this.store.flush();
        const path = await this.backend.pickFolder();
        if (path) await this.store.loadFolder(path);
        return;
      }
      case 'save':
        await this.store.save();
        return;
      case 'save-as':
        await this.store.saveAs();
        return;
      case 'undo':
        // In the project panel, Ctrl+Z undoes the last project replace (never the document).
        if (this.inProjectPanel()) {
          if (this.project.canUndo) await this.project.undo();
          return;
        }
        await this.store.undo();
        return;
      case 'redo':
        await this.store.redo();
        return;
      case 'find':
      case 'replace':
        this.project.closePanel();
        this.openFind(id === 'replace');
        return;
      case 'search-project':
        // One set of find fields at a time ("Replace with", the options): the find bar closes.
        if (this.find.open) this.closeFind(false);
        this.project.openPanel();
        return;
      case 'find-next':
      case 'find-previous':
        if (!this.find.open || this.find.pattern === '') {
          this.openFind(false);
          return;
        }
        await this.step(id === 'find-next' ? 1 : -1);
        return;
      case 'go-to-time':
        this.dialog = 'go-to-time';
        return;
      case 'next-cue':
      case 'previous-cue':
        await this.move(id === 'next-cue' ? 1 : -1);
        return;
      case 'insert-cue-after':
        await this.insertAfter();
        return;
      case 'delete-cue':
        await this.deleteCue();
        return;
      case 'split-cue':
        await this.splitCue();
        return;
      case 'merge-with-next':
        await this.mergeWithNext();
        return;
      case 'toggle-checked':
      case 'next-unreviewed':
      case 'previous-unreviewed':
        await this.runReview(id);
        return;
      case 'next-change':
      case 'previous-change':
        await this.gotoChange(id === 'next-change' ? 1 : -1);
        return;
      case 'show-changes':
        if (!this.git.available) return;
        this.git.changesOpen = !this.git.changesOpen;
        if (this.git.changesOpen) {
          await this.store.saveAll();
          await this.git.refreshStatus();
        }
        return;
      case 'commit':
        if (!this.git.available) return;
        this.dialog = 'commit';
        return;
      case 'cheat-sheet':
        this.dialog = this.dialog === 'cheat-sheet' ? null : 'cheat-sheet';
        return;
      case 'close-dialog':
        this.closeTop();
        return;
      case 'flag-menu':
        await this.openFlagMenu();
        return;
      case 'next-flag':
      case 'previous-flag':
        await this.stepFlag(id === 'next-flag' ? 1 : -1);
        return;
    }
  }

  /** Ctrl+K on the current cue (else the one playing); next/previous cue not checked. */
  private async runReview(id: 'toggle-checked' | 'next-unreviewed' | 'previous-unreviewed') {
    const current = this.currentIndex ?? this.playingIndex;
    if (id === 'toggle-checked') {
      if (current !== null) await this.review.toggle(current);
      return;
    }
    const to = await this.review.next(current, id === 'next-unreviewed');
    if (to === null) this.playbackNotice = 'Every cue is checked.';
    else await this.focusCue(to);
  }

  /** Esc: closes the open dialog, else the find bar. Returns whether anything closed. */
  closeTop(): boolean {
    if (this.flags.menu !== null) {
      const cueId = this.flags.menu.cueId;
      this.flags.closeMenu();
      const index = this.store.indexById.get(cueId);
      if (index !== undefined) void this.focusCue(index, this.carets.get(cueId));
      return true;
    }
    if (this.dialog !== null && this.dialog !== 'close') {
      this.dialog = null;
      return true;
    }
    if (this.dialog === 'close') {
      this.dialog = null;
      return true;
    }
    if (this.find.open) {
      this.closeFind();
      return true;
    }
    if (this.project.panelOpen && this.inProjectPanel()) {
      this.project.closePanel();
      const index = this.currentIndex;
      if (index !== null) void this.focusCue(index, this.carets.get(this.currentCueId ?? -1));
      return true;
    }
    return false;
  }

  /** The focus is in the project search panel. */
  inProjectPanel(): boolean {
    const el = typeof document === 'undefined' ? null : document.activeElement;
    return el instanceof Element && el.closest('[data-panel="project"]') !== null;
  }

  /**
   * Opens a project search hit: its file (unless it is the one shown), its cue with the hit
   * selected (UTF-16 offsets in the cue's text), and with audio attached the playhead there.
   */
  async openHit(
    path: string,
    cueIndex: number,
    /** The hit in the cue's text (UTF-16), or how to find it there once the file is open. */
    range: [number, number] | ((cueText: string) => [number, number]),
    startMs: number,
  ) {
    await this.store.flush();
    const before = this.store.view?.docId ?? null;
    if (this.store.view?.path !== path) await this.store.open(path);
    const view = this.store.view;
    if (view?.path !== path) return; // could not be opened: the alert says why
    if (view.docId !== before) {
      // Let the new list mount and the new document's audio load before revealing and seeking.
      await tick();
      await this.player.loading;
    }
    const cue = view.cues[cueIndex];
    if (!cue) return;
    const [start, end] = typeof range === 'function' ? range(this.store.textOf(cue)) : range;
    await this.focusCue(cueIndex, start, end);
    if (this.player.hasAudio && this.player.docId === view.docId) await this.player.seek(startMs);
  }

  // ----- the current cue ------------------------------------------------------------------

  setCurrent(cueId: number) {
    this.currentCueId = cueId;
  }

  rememberCaret(cueId: number, utf16: number) {
    this.carets.set(cueId, utf16);
  }

  /** The cue the per-cue commands act on (the first one when none was focused yet). */
  private current(): { cue: CueDto; index: number } | null {
    const cues = this.store.view?.cues ?? [];
    if (cues.length === 0) return null;
    const index = this.currentIndex ?? 0;
    return { cue: cues[index], index };
  }

  /** The caret of a cue's text field, in UTF-16 code units: live if it is focused. */
  private caretOf(cue: CueDto): number {
    const el = this.textField(cue.index);
    if (el && document.activeElement === el) return el.selectionStart ?? el.value.length;
    return this.carets.get(cue.id) ?? this.store.textOf(cue).length;
  }

  private textField(index: number): HTMLTextAreaElement | null {
    return document.querySelector<HTMLTextAreaElement>(
      `[role="listitem"][data-cue-index="${index}"] textarea[aria-label="Cue text"]`,
    );
  }

  /** Scrolls cue `index` into view and puts the caret in its text (at `caret`, default end;
   * with `selectTo`, the text from `caret` to `selectTo` is selected). */
  async focusCue(index: number, caret?: number, selectTo?: number) {
    const cue = this.store.view?.cues[index];
    if (!cue) return;
    this.currentCueId = cue.id;
    this.list?.reveal(index);
    for (let attempt = 0; attempt < 5; attempt++) {
      await tick();
      const el = this.textField(index);
      if (el) {
        el.focus({ preventScroll: true });
        const at = Math.min(caret ?? el.value.length, el.value.length);
        el.setSelectionRange(at, Math.max(at, Math.min(selectTo ?? at, el.value.length)));
        return;
      }
      await new Promise((r) => requestAnimationFrame(() => r(null)));
    }
  }

  /** Next/Previous change since the last commit: the changed cue after or before the current one. */
  async gotoChange(delta: 1 | -1) {
    await this.store.flush();
    if (this.git.current?.revision !== this.store.view?.revision) await this.git.refreshMarks();
    const n = this.store.view?.cues.length ?? 0;
    const at = nextChangeAt(this.git.current?.marks ?? [], this.currentIndex, delta);
    if (at === null || n === 0) return;
    await this.focusCue(Math.min(at, n - 1));
  }

  async move(delta: 1 | -1) {
    const n = this.store.view?.cues.length ?? 0;
    if (n === 0) return;
    const from = this.currentIndex;
    const to = from === null ? (delta > 0 ? 0 : n - 1) : Math.max(0, Math.min(n - 1, from + delta));
    await this.store.flush();
    await this.focusCue(to);
  }

  // ----- edits ----------------------------------------------------------------------------

  async insertAfter() {
    const view = this.store.view;
    if (!view || !this.store.editable) return;
    const cur = this.current();
    const at = cur ? cur.index + 1 : 0;
    const next = view.cues[at];
    let start: number;
    let end: number | null;
    if (!cur) {
      start = 0;
      end = view.format === 'txt' ? null : INSERT_LENGTH_MS;
    } else if (view.format === 'txt') {
      // TXT entries have no end: start halfway to the next entry, or 2 s later.
      start = next && next.startMs > cur.cue.startMs
        ? cur.cue.startMs + Math.round((next.startMs - cur.cue.startMs) / 2)
        : cur.cue.startMs + INSERT_LENGTH_MS;
      end = null;
    } else {
      start = cur.cue.endMs ?? cur.cue.startMs;
      end = start + INSERT_LENGTH_MS;
      if (next && next.startMs > start && next.startMs < end) end = next.startMs;
    }
    const ok = await this.store.edit([{ op: 'insert', at, start_ms: start, end_ms: end, text: '' }]);
    if (ok) await this.focusCue(at, 0);
  }

  async deleteCue() {
    const cur = this.current();
    if (!cur || !this.store.editable) return;
    const ok = await this.store.edit([{ op: 'delete', cue: cur.index }]);
    const n = this.store.view?.cues.length ?? 0;
    if (ok && n > 0) await this.focusCue(Math.min(cur.index, n - 1));
  }

  /** Splits the current cue at the caret: at a time proportional to the caret, or at the
   * playhead (`atPlayhead`, which must be inside the cue). */
  async splitCue(atPlayhead = false) {
    const cur = this.current();
    const view = this.store.view;
    if (!cur || !view || !this.store.editable) return;
    const text = this.store.textOf(cur.cue);
    const atChar = utf16ToChars(text, this.caretOf(cur.cue));
    const next = view.cues[cur.index + 1];
    const end =
      cur.cue.endMs ??
      (next && next.startMs > cur.cue.startMs ? next.startMs : cur.cue.startMs + INSERT_LENGTH_MS);
    let atMs = splitTime(cur.cue.startMs, end, atChar, charCount(text));
    if (atPlayhead) {
      if (!this.needAudio()) return;
      const pos = Math.round(this.player.now());
      if (pos <= cur.cue.startMs || pos >= end) {
        this.playbackNotice = `The playhead (${formatClock(pos)}) is not inside this cue: nothing split.`;
        return;
      }
      atMs = pos;
    }
    const ok = await this.store.edit([{ op: 'split', cue: cur.index, at_char: atChar, at_ms: atMs }]);
    if (ok) await this.focusCue(cur.index + 1, 0);
  }

  async mergeWithNext() {
    const cur = this.current();
    const view = this.store.view;
    if (!cur || !view || !this.store.editable || cur.index + 1 >= view.cues.length) return;
    const joinAt = this.store.textOf(cur.cue).length;
    const ok = await this.store.edit([{ op: 'merge', cue: cur.index }]);
    if (ok) await this.focusCue(cur.index, joinAt);
  }

  // ----- playback ---------------------------------------------------------------------------

  /** True when audio is attached; otherwise says how to attach some. */
  private needAudio(): boolean {
    if (this.player.hasAudio) return true;
    this.player.error = this.player.audio?.error ?? 'No audio is attached to this transcript: attach one with Ctrl+Shift+A.';
    return false;
  }

  /** "Play from here": seeks to the cue's start and plays. */
  async playFrom(index: number) {
    const cue = this.store.view?.cues[index];
    if (!cue) return;
    this.currentCueId = cue.id;
    await this.player.playFrom(cue.startMs);
  }

  /** The end of cue `index` for playback: its end, else the next cue's start, else +2 s. */
  private endOf(index: number): number {
    const cues = this.store.view?.cues ?? [];
    const cue = cues[index];
    const next = cues[index + 1];
    return cue.endMs ?? (next && next.startMs > cue.startMs ? next.startMs : cue.startMs + INSERT_LENGTH_MS);
  }

  async loopCue() {
    if (this.player.state.loopRange) {
      await this.player.setLoop(null);
      return;
    }
    const cur = this.current();
    if (!cur || !this.needAudio()) return;
    const end = this.endOf(cur.index);
    if (end <= cur.cue.startMs) return;
    if (await this.player.setLoop([cur.cue.startMs, end])) await this.player.playFrom(cur.cue.startMs);
  }

  async jumpToPlayhead() {
    if (!this.needAudio()) return;
    const cues = this.store.view?.cues ?? [];
    const pos = this.player.now();
    let index = cueAt(cues, pos);
    if (index === null) {
      // In a gap: the cue that started last before the playhead (else the first).
      index = 0;
      for (let i = 0; i < cues.length; i++) if (cues[i].startMs <= pos) index = i;
    }
    await this.store.flush();
    await this.focusCue(index);
  }

  async setFromPlayhead(which: 'start' | 'end') {
    const cur = this.current();
    if (!cur || !this.store.editable || !this.needAudio()) return;
    if (which === 'end' && cur.cue.endMs === null) {
      this.playbackNotice = 'TXT entries have no end time.';
      return;
    }
    const pos = Math.round(this.player.now());
    await this.setTiming(cur.cue, which === 'start' ? pos : null, which === 'end' ? pos : null);
  }

  async nudge(which: 'start' | 'end', deltaMs: number) {
    const cur = this.current();
    if (!cur || !this.store.editable) return;
    if (which === 'end') {
      if (cur.cue.endMs === null) {
        this.playbackNotice = 'TXT entries have no end time.';
        return;
      }
      await this.setTiming(cur.cue, null, Math.max(0, cur.cue.endMs + deltaMs));
    } else {
      await this.setTiming(cur.cue, Math.max(0, cur.cue.startMs + deltaMs), null);
    }
  }

  /** Inserts an empty cue at the playhead, in time order, and puts the caret in it. */
  async insertAtPlayhead() {
    const view = this.store.view;
    if (!view || !this.store.editable || !this.needAudio()) return;
    const pos = Math.round(this.player.now());
    const cues = view.cues;
    let at = cues.length;
    for (let i = 0; i < cues.length; i++) {
      if (cues[i].startMs > pos) {
        at = i;
        break;
      }
    }
    const next = cues[at];
    let end: number | null = null;
    if (view.format !== 'txt') {
      end = pos + INSERT_LENGTH_MS;
      if (next && next.startMs > pos && next.startMs < end) end = next.startMs;
    }
    const ok = await this.store.edit([{ op: 'insert', at, start_ms: pos, end_ms: end, text: '' }]);
    if (ok) await this.focusCue(at, 0);
  }

  async attachAudio() {
    const view = this.store.view;
    if (!view) return;
    await this.player.pickAndAttach(view.docId);
  }

  async setTiming(cue: CueDto, startMs: number | null, endMs: number | null): Promise<boolean> {
    const index = this.store.indexById.get(cue.id);
    if (index === undefined) return false;
    return this.store.edit([
      {
        op: 'set_timing',
        cue: index,
        ...(startMs !== null ? { start_ms: startMs } : {}),
        ...(endMs !== null ? { end_ms: endMs } : {}),
      },
    ]);
  }

  /** Go to time: the cue that starts latest at or before `ms` (else the first cue). */
  async goToTime(ms: number) {
    const cues = this.store.view?.cues ?? [];
    if (cues.length === 0) return;
    let best = -1;
    for (let i = 0; i < cues.length; i++) {
      if (cues[i].startMs <= ms && (best < 0 || cues[i].startMs > cues[best].startMs)) best = i;
    }
    this.dialog = null;
    await this.store.flush();
    await this.focusCue(Math.max(0, best), 0);
  }

  // ----- find and replace -----------------------------------------------------------------

  openFind(replace: boolean) {
    this.find.open = true;
    if (replace) this.find.replace = true;
    this.find.focusRequest++;
    if (this.find.pattern !== '') this.scheduleFind(true, 0);
  }

  closeFind(refocus = true) {
    this.find.open = false;
    this.find.replace = false;
    this.find.hits = [];
    this.find.current = -1;
    this.find.error = null;
    const index = this.currentIndex;
    if (refocus && index !== null) void this.focusCue(index, this.carets.get(this.currentCueId ?? -1));
  }

  /** The pattern or an option changed (typed in the find bar). */
  patternChanged() {
    this.find.current = -1;
    this.scheduleFind(true, FIND_DELAY_MS);
  }

  /** Re-runs the search (after the document changed, or the query did). */
  scheduleFind(flush: boolean, delay = FIND_DELAY_MS) {
    if (this.findTimer !== null) clearTimeout(this.findTimer);
    this.findTimer = setTimeout(() => {
      this.findTimer = null;
      void this.runFind(flush);
    }, delay);
  }

  async runFind(flush = true) {
    if (this.findTimer !== null) {
      clearTimeout(this.findTimer);
      this.findTimer = null;
    }
    const f = this.find;
    if (!f.open || f.pattern === '') {
      f.hits = [];
      f.current = -1;
      f.error = null;
      return;
    }
    const query = f.query;
    const result = await this.store.query((id) => this.backend.findInDocument(id, query), flush);
    if (!result) return;
    if (result.status === 'error') {
      f.hits = [];
      f.current = -1;
      f.error = 'message' in result.error.detail ? result.error.detail.message : 'Invalid search';
      return;
    }
    f.error = null;
    f.hits = result.data;
    if (f.current >= f.hits.length) f.current = f.hits.length - 1;
  }

  /** Moves to the next (1) or previous (-1) match and scrolls to it. */
  async step(delta: 1 | -1) {
    const f = this.find;
    if (this.findTimer !== null) await this.runFind(true);
    const n = f.hits.length;
    if (n === 0) return;
    if (f.current < 0) {
      // Start from the current cue.
      const from = this.currentIndex ?? 0;
      const first = f.hits.findIndex((h) => h.cue >= from);
      f.current = delta > 0 ? (first < 0 ? 0 : first) : (first <= 0 ? n - 1 : first - 1);
    } else {
      f.current = (f.current + delta + n) % n;
    }
    const hit = f.hits[f.current];
    const cue = this.store.view?.cues[hit.cue];
    if (cue) {
      this.currentCueId = cue.id;
      this.carets.set(cue.id, hit.startUtf16);
      this.list?.reveal(hit.cue);
    }
  }

  async replaceOne() {
    const f = this.find;
    if (!this.store.editable) return;
    if (f.current < 0) {
      await this.step(1);
      return;
    }
    const hit = f.hits[f.current];
    if (!hit) return;
    const index = f.current;
    const ok = await this.store.command((id) =>
      this.backend.replaceInDocument(id, f.query, f.replacement, { cue: hit.cue, startUtf16: hit.startUtf16 }),
    );
    if (!ok) return;
    await this.runFind(false);
    // The replaced match is gone: the one now at the same position is the next one.
    if (f.hits.length === 0) f.current = -1;
    else {
      f.current = Math.min(index, f.hits.length - 1);
      this.list?.reveal(f.hits[f.current].cue);
    }
  }

  async replaceAll() {
    const f = this.find;
    if (!this.store.editable || f.pattern === '') return;
    const ok = await this.store.command((id) => this.backend.replaceInDocument(id, f.query, f.replacement, null));
    if (!ok) return;
    f.current = -1;
    await this.runFind(false);
  }

  // ----- review flags -------------------------------------------------------------------

  /** Next (1) or previous (-1) flag from the caret, across cues (wrapping): selects it. */
  async stepFlag(delta: 1 | -1) {
    const cues = this.store.view?.cues ?? [];
    if (cues.length === 0 || this.flags.byCue.size === 0) {
      this.flags.message = 'No flags in this document.';
      return;
    }
    const cur = this.current();
    const from = cur?.index ?? (delta > 0 ? cues.length - 1 : 0);
    const caret = cur ? this.selectionStart(cur.cue) : -1;
    for (let step = 0; step <= cues.length; step++) {
      const index = (from + delta * step + cues.length * 2) % cues.length;
      let flags = this.flags.flagsOf(cues[index]);
      if (step === 0) flags = flags.filter((f) => (delta > 0 ? f.startUtf16 > caret : f.startUtf16 < caret));
      if (flags.length === 0) continue;
      const f = delta > 0 ? flags[0] : flags[flags.length - 1];
      this.flags.message = null;
      await this.store.flush();
      await this.focusCue(index, f.startUtf16, f.endUtf16);
      return;
    }
    this.flags.message = 'No flags in this document.';
  }

  private selectionStart(cue: CueDto): number {
    const el = this.textField(cue.index);
    if (el && document.activeElement === el) return el.selectionStart ?? 0;
    return this.carets.get(cue.id) ?? -1;
  }

  /** Ctrl+.: the menu of the flag at the caret (else the cue's next flag). */
  async openFlagMenu() {
    const cur = this.current();
    if (!cur) return;
    const flags = this.flags.flagsOf(cur.cue);
    const caret = this.caretOf(cur.cue);
    const flag =
      flags.find((f) => f.startUtf16 <= caret && caret <= f.endUtf16) ?? flags.find((f) => f.startUtf16 >= caret) ?? flags[0];
    if (!flag) {
      this.flags.message = 'No flagged word in this cue (Alt+PageDown goes to the next flag).';
      return;
    }
    const el = document.querySelector(
      `[role="listitem"][data-cue-index="${cur.index}"] .mirror [data-flag="${flags.indexOf(flag)}"]`,
    );
    const rect = el?.getBoundingClientRect();
    await this.flags.openMenu(cur.cue.id, flag, rect?.left ?? 100, rect?.bottom ?? 100);
  }

  /** Accepts a suggestion: the flagged span becomes `word` (one undo step); a sounds-like
   * fix can also go to the glossary. */
  async acceptSuggestion(cueId: number, flag: FlagDto, word: string, addToGlossary = false) {
    this.flags.closeMenu();
    const index = this.store.indexById.get(cueId);
    const cue = index === undefined ? undefined : this.store.view?.cues[index];
    if (!cue || index === undefined) return;
    const text = this.store.textOf(cue);
    if (text.slice(flag.startUtf16, flag.endUtf16) !== flag.text) {
      this.flags.message = 'The cue changed: that flag no longer holds.';
      return;
    }
    const fixed = text.slice(0, flag.startUtf16) + word + text.slice(flag.endUtf16);
    const ok = await this.store.edit([{ op: 'set_text', cue: index, text: fixed }]);
    if (ok) await this.focusCue(index, flag.startUtf16 + word.length);
    if (ok && addToGlossary) await this.flags.addToGlossary(flag.text, word);
  }

  /** After a word went into the project's list: review its other spellings across the project. */
  fixOtherSpellings(word: string) {
    this.flags.fixOthers = null;
    if (this.find.open) this.closeFind(false);
    const p = this.project;
    p.openPanel();
    p.pattern = word;
    p.replacement = word;
    p.wholeWord = true;
    p.matchCase = false;
    p.regex = false;
    p.rerun(0);
  }

  // ----- window ---------------------------------------------------------------------------

  /**
   * The window is closing (close button, Quit). Rust asks on every close because only the UI
   * knows about a draft it has not sent yet: send it, then ask only if something is unsaved.
   */
  async closeRequested() {
    await this.store.flush();
    if (this.store.anyUnsaved) this.dialog = 'close';
    else await this.backend.forceClose();
  }

  async saveAndClose() {
    if (await this.store.saveAll()) {
      this.dialog = null;
      await this.backend.forceClose();
    }
  }

  async discardAndClose() {
    this.dialog = null;
    await this.backend.forceClose();
  }

  /** Dropped or chosen paths: a transcript opens, anything else is tried as a folder. */
  async openPaths(paths: string[]) {
    const path = paths[0];
    if (!path) return;
    if (/\.(vtt|srt|txt)$/i.test(path)) await this.store.open(path);
    else await this.store.loadFolder(path);
  }
}
