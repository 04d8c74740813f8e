// The keyboard map: every command the editor offers, its default keys, and the matching of a
// KeyboardEvent to a command. One table, so the cheat sheet, the README, the settings panel and
// the user's rebinding all read the same data. The native menu (built in Rust, src-tauri/src/menu.rs)
// uses the same ids and default accelerators (a Rust test compares them with this file) and sends
// `MenuCommand { id }`; it is rebuilt with the user's bindings.
//
// Playback keys never type text: F-keys, Ctrl+Space, Ctrl+Enter, and Esc when no dialog, find bar
// or cheat sheet is open (Esc closes those first).

export type CommandId =
  | 'open-file'
  | 'open-folder'
  | 'save'
  | 'save-as'
  | 'undo'
  | 'redo'
  | 'find'
  | 'find-next'
  | 'find-previous'
  | 'replace'
  | 'search-project'
  | 'go-to-time'
  | 'next-cue'
  | 'previous-cue'
  | 'insert-cue-after'
  | 'delete-cue'
  | 'split-cue'
  | 'merge-with-next'
  | 'play-pause'
  | 'skip-back'
  | 'skip-forward'
  | 'slower'
  | 'faster'
  | 'play-cue'
  | 'loop-cue'
  | 'jump-to-playhead'
  | 'toggle-checked'
  | 'next-unreviewed'
  | 'previous-unreviewed'
  | 'insert-at-playhead'
  | 'split-at-playhead'
  | 'set-start'
  | 'set-end'
  | 'start-earlier'
  | 'start-later'
  | 'end-earlier'
  | 'end-later'
  | 'attach-audio'
  | 'settings'
  | 'next-change'
  | 'previous-change'
  | 'show-changes'
  | 'commit'
  | 'cheat-sheet'
  | 'close-dialog'
  | 'flag-menu'
  | 'next-flag'
  | 'previous-flag';

export type CommandGroup = 'File' | 'Edit' | 'Find' | 'Navigate' | 'Review' | 'Playback' | 'Timing' | 'Help';

export type CommandSpec = {
  id: CommandId;
  /** What the command does, as shown in the cheat sheet and menus. */
  label: string;
  /** Menu group, for the cheat sheet. */
  group: CommandGroup;
  /** Chords that run it anywhere in the window, e.g. `Ctrl+Shift+Z`. Order: Ctrl, Alt, Shift, key. */
  keys: string[];
  /** Keys that work only in a particular place (shown in the cheat sheet, matched elsewhere). */
  localKeys?: string[];
};

export const GROUPS: readonly CommandGroup[] = ['File', 'Edit', 'Find', 'Navigate', 'Review', 'Playback', 'Timing', 'Help'];

export const COMMANDS: readonly CommandSpec[] = [
  { id: 'open-file', label: 'Open file…', group: 'File', keys: ['Ctrl+O'] },
  { id: 'open-folder', label: 'Open folder…', group: 'File', keys: ['Ctrl+Shift+O'] },
  { id: 'save', label: 'Save', group: 'File', keys: ['Ctrl+S'] },
  { id: 'save-as', label: 'Save as…', group: 'File', keys: ['Ctrl+Shift+S'] },
  { id: 'attach-audio', label: 'Attach audio…', group: 'File', keys: ['Ctrl+Shift+A'] },
  { id: 'settings', label: 'Settings and key bindings', group: 'File', keys: ['Ctrl+,'] },
  { id: 'commit', label: 'Commit…', group: 'File', keys: [] },
  { id: 'undo', label: 'Undo', group: 'Edit', keys: ['Ctrl+Z'] },
  { id: 'redo', label: 'Redo', group: 'Edit', keys: ['Ctrl+Y', 'Ctrl+Shift+Z'] },
  { id: 'insert-cue-after', label: 'Insert cue after', group: 'Edit', keys: ['Ctrl+Shift+Enter', 'Alt+Insert'] },
  { id: 'delete-cue', label: 'Delete cue', group: 'Edit', keys: ['Ctrl+Shift+Delete'] },
  { id: 'split-cue', label: 'Split cue at the caret', group: 'Edit', keys: ['Ctrl+Alt+V'] },
  { id: 'merge-with-next', label: 'Merge with next cue', group: 'Edit', keys: ['Ctrl+Shift+M'] },
  { id: 'find', label: 'Find', group: 'Find', keys: ['Ctrl+F'] },
  { id: 'find-next', label: 'Next match', group: 'Find', keys: ['Ctrl+F3'], localKeys: ['Enter in Find'] },
  {
    id: 'find-previous',
    label: 'Previous match',
    group: 'Find',
    keys: ['Ctrl+Shift+F3'],
    localKeys: ['Shift+Enter in Find'],
  },
  { id: 'replace', label: 'Replace', group: 'Find', keys: ['Ctrl+H'] },
  { id: 'search-project', label: 'Search project', group: 'Find', keys: ['Ctrl+Shift+F'] },
  { id: 'go-to-time', label: 'Go to time…', group: 'Navigate', keys: ['Ctrl+G'] },
  { id: 'next-cue', label: 'Next cue', group: 'Navigate', keys: ['Alt+Down'] },
  { id: 'previous-cue', label: 'Previous cue', group: 'Navigate', keys: ['Alt+Up'] },
  { id: 'jump-to-playhead', label: 'Go to the cue under the playhead', group: 'Navigate', keys: ['F7'] },
  { id: 'flag-menu', label: 'Suggestions for the flagged word', group: 'Review', keys: ['Ctrl+.'] },
  { id: 'next-flag', label: 'Next flag (spelling or sounds-like)', group: 'Review', keys: ['Alt+PageDown'] },
  { id: 'previous-flag', label: 'Previous flag', group: 'Review', keys: ['Alt+PageUp'] },
  { id: 'toggle-checked', label: 'Mark the cue checked (or not)', group: 'Review', keys: ['Ctrl+K'] },
  { id: 'next-unreviewed', label: 'Next unreviewed cue (not checked)', group: 'Review', keys: ['Alt+Shift+PageDown'] },
  { id: 'previous-unreviewed', label: 'Previous unreviewed cue', group: 'Review', keys: ['Alt+Shift+PageUp'] },
  { id: 'next-change', label: 'Next change since the last commit', group: 'Navigate', keys: ['Ctrl+Alt+PageDown'] },
  { id: 'previous-change', label: 'Previous change since the last commit', group: 'Navigate', keys: ['Ctrl+Alt+PageUp'] },
  { id: 'show-changes', label: 'Changes since the last commit (all files)', group: 'Navigate', keys: [] },
  { id: 'play-pause', label: 'Play / pause', group: 'Playback', keys: ['Esc', 'Ctrl+Space', 'MediaPlayPause'] },
  { id: 'skip-back', label: 'Skip back', group: 'Playback', keys: ['F1'] },
  { id: 'skip-forward', label: 'Skip forward', group: 'Playback', keys: ['F2'] },
  { id: 'slower', label: 'Slower (−0.1×)', group: 'Playback', keys: ['F3'] },
  { id: 'faster', label: 'Faster (+0.1×)', group: 'Playback', keys: ['F4'] },
  { id: 'play-cue', label: 'Play the cue from its start', group: 'Playback', keys: ['F5', 'Ctrl+Enter'] },
  { id: 'loop-cue', label: 'Loop the cue', group: 'Playback', keys: ['F6'] },
  { id: 'set-start', label: 'Set start from the playhead', group: 'Timing', keys: ['F11'] },
  { id: 'set-end', label: 'Set end from the playhead', group: 'Timing', keys: ['F12'] },
  { id: 'start-earlier', label: 'Start 100 ms earlier', group: 'Timing', keys: ['Shift+F11'] },
  { id: 'start-later', label: 'Start 100 ms later', group: 'Timing', keys: ['Ctrl+F11'] },
  { id: 'end-earlier', label: 'End 100 ms earlier', group: 'Timing', keys: ['Shift+F12'] },
  { id: 'end-later', label: 'End 100 ms later', group: 'Timing', keys: ['Ctrl+F12'] },
  { id: 'insert-at-playhead', label: 'Insert a cue at the playhead', group: 'Timing', keys: ['F8'] },
  { id: 'split-at-playhead', label: 'Split at the caret, at the playhead time', group: 'Timing', keys: ['F9'] },
  { id: 'cheat-sheet', label: 'Keyboard shortcuts', group: 'Help', keys: ['Ctrl+/'] },
  { id: 'close-dialog', label: 'Close dialog, find bar or search panel', group: 'Help', keys: [], localKeys: ['Esc'] },
];

const BY_ID = new Map(COMMANDS.map((c) => [c.id, c]));

export function isCommandId(id: string): id is CommandId {
  return BY_ID.has(id as CommandId);
}

export function commandSpec(id: CommandId): CommandSpec {
  const spec = BY_ID.get(id);
  if (!spec) throw new Error(`unknown command ${id}`);
  return spec;
}

/** Key names as written in the table, for `KeyboardEvent.key` values that differ. */
const KEY_NAMES: Record<string, string> = {
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
  Escape: 'Esc',
  ' ': 'Space',
};

/** The chord of a key event in the table's notation (`Ctrl+Shift+Z`), or null for a bare modifier. */
export function chordOf(e: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): string | null {
  let key = e.key;
  if (key === 'Control' || key === 'Shift' || key === 'Alt' || key === 'Meta' || key === 'AltGraph') return null;
  key = KEY_NAMES[key] ?? key;
  // Letters by their position when a modifier changes the character (Ctrl+Alt+V can type
  // something else on some layouts); otherwise by the character, so AZERTY's Ctrl+Z is Z.
  if (/^Key[A-Z]$/.test(e.code) && (key.length !== 1 || !/[a-z]/i.test(key))) key = e.code.slice(3);
  if (key.length === 1) key = key.toUpperCase();
  const parts: string[] = [];
  if (e.ctrlKey || e.metaKey) parts.push('Ctrl');
  if (e.altKey) parts.push('Alt');
  if (e.shiftKey && !(key.length === 1 && !/[A-Z0-9]/.test(key))) parts.push('Shift');
  parts.push(key);
  return parts.join('+');
}

/** The user's bindings: command id -> chords, replacing that command's default keys. */
export type Bindings = Record<string, string[]>;

/** The table with the user's bindings applied (unknown ids are ignored). */
export function withBindings(bindings: Bindings, commands: readonly CommandSpec[] = COMMANDS): CommandSpec[] {
  return commands.map((c) => (Object.hasOwn(bindings, c.id) ? { ...c, keys: [...bindings[c.id]] } : c));
}

/**
 * Binds `chord` to `id` (added to its keys) and takes it away from any other command. Returns
 * the new bindings and the commands that lost the chord.
 */
export function bind(bindings: Bindings, id: CommandId, chord: string): { bindings: Bindings; took: CommandId[] } {
  const table = withBindings(bindings);
  const next: Bindings = { ...bindings };
  const took: CommandId[] = [];
  for (const c of table) {
    if (c.id !== id && c.keys.includes(chord)) {
      next[c.id] = c.keys.filter((k) => k !== chord);
      took.push(c.id);
    }
  }
  const own = table.find((c) => c.id === id)?.keys ?? [];
  next[id] = own.includes(chord) ? own : [...own, chord];
  return { bindings: normalise(next), took };
}

/** Removes `chord` from the keys of `id`. */
export function unbind(bindings: Bindings, id: CommandId, chord: string): Bindings {
  const own = withBindings(bindings).find((c) => c.id === id)?.keys ?? [];
  return normalise({ ...bindings, [id]: own.filter((k) => k !== chord) });
}

/** Back to the default keys of `id` (and of any command whose default chord `id` had taken). */
export function resetBinding(bindings: Bindings, id: CommandId): Bindings {
  const next: Bindings = { ...bindings };
  delete next[id];
  const defaults = commandSpec(id).keys;
  for (const [other, keys] of Object.entries(next)) next[other] = keys.filter((k) => !defaults.includes(k));
  return normalise(next);
}

/** Drops overrides that equal the defaults, so the settings file only lists real changes. */
function normalise(bindings: Bindings): Bindings {
  const out: Bindings = {};
  for (const [id, keys] of Object.entries(bindings)) {
    if (!isCommandId(id)) continue;
    const d = commandSpec(id).keys;
    if (keys.length !== d.length || keys.some((k, i) => k !== d[i])) out[id] = keys;
  }
  return out;
}

/** Chord → command, built from a table (the defaults, or the user's bindings). */
export class Keymap {
  private readonly byChord = new Map<string, CommandId>();

  constructor(commands: readonly CommandSpec[] = COMMANDS) {
    for (const c of commands) for (const k of c.keys) if (!this.byChord.has(k)) this.byChord.set(k, c.id);
  }

  /** The command bound to this key event, if any. */
  match(e: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): CommandId | null {
    const chord = chordOf(e);
    return chord === null ? null : (this.byChord.get(chord) ?? null);
  }
}

/** Every key of a command, for display: global chords, then the local ones. */
export function keysOf(spec: CommandSpec): string[] {
  return [...spec.keys, ...(spec.localKeys ?? [])];
}
