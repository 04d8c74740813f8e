// The keyboard map: every command the editor offers, its default keys, and the matching of a
// KeyboardEvent to a command. One table, so the cheat sheet, the README and (later) user
// rebinding all read the same data. The native menu (built in Rust) uses the same ids and
// accelerators and sends `MenuCommand { id }`.
//
// Deliberately unbound (reserved for audio playback): F1, F2, F4, F11, F12, Ctrl+Space,
// Ctrl+Enter, and Esc outside dialogs.

export type CommandId =
  | 'open-file'
  | 'open-folder'
  | 'save'
  | 'undo'
  | 'redo'
  | 'find'
  | 'find-next'
  | 'find-previous'
  | 'replace'
  | 'go-to-time'
  | 'next-cue'
  | 'previous-cue'
  | 'insert-cue-after'
  | 'delete-cue'
  | 'split-cue'
  | 'merge-with-next'
  | 'cheat-sheet'
  | 'close-dialog';

export type CommandSpec = {
  id: CommandId;
  /** What the command does, as shown in the cheat sheet and menus. */
  label: string;
  /** Menu group, for the cheat sheet. */
  group: 'File' | 'Edit' | 'Find' | 'Navigate' | 'Help';
  /** Chords that run it anywhere in the window, e.g. `Ctrl+Shift+Z`. Order: Ctrl, Alt, Shift, key. */
  keys: string[];
  /** Keys that work only in a particular place (shown in the cheat sheet, matched elsewhere). */
  localKeys?: string[];
};

export const COMMANDS: readonly CommandSpec[] = [
  { id: 'open-file', label: 'Open file…', group: 'File', keys: ['Ctrl+O'] },
  { id: 'open-folder', label: 'Open folder…', group: 'File', keys: ['Ctrl+Shift+O'] },
  { id: 'save', label: 'Save', group: 'File', keys: ['Ctrl+S'] },
  { id: 'undo', label: 'Undo', group: 'Edit', keys: ['Ctrl+Z'] },
  { id: 'redo', label: 'Redo', group: 'Edit', keys: ['Ctrl+Y', 'Ctrl+Shift+Z'] },
  { id: 'insert-cue-after', label: 'Insert cue after', group: 'Edit', keys: ['Ctrl+Shift+Enter', 'Alt+Insert'] },
  { id: 'delete-cue', label: 'Delete cue', group: 'Edit', keys: ['Ctrl+Shift+Delete'] },
  { id: 'split-cue', label: 'Split cue at the caret', group: 'Edit', keys: ['Ctrl+Alt+V'] },
  { id: 'merge-with-next', label: 'Merge with next cue', group: 'Edit', keys: ['Ctrl+Shift+M'] },
  { id: 'find', label: 'Find', group: 'Find', keys: ['Ctrl+F'] },
  { id: 'find-next', label: 'Next match', group: 'Find', keys: ['F3'], localKeys: ['Enter in Find'] },
  {
    id: 'find-previous',
    label: 'Previous match',
    group: 'Find',
    keys: ['Shift+F3'],
    localKeys: ['Shift+Enter in Find'],
  },
  { id: 'replace', label: 'Replace', group: 'Find', keys: ['Ctrl+H'] },
  { id: 'go-to-time', label: 'Go to time…', group: 'Navigate', keys: ['Ctrl+G'] },
  { id: 'next-cue', label: 'Next cue', group: 'Navigate', keys: ['Alt+Down'] },
  { id: 'previous-cue', label: 'Previous cue', group: 'Navigate', keys: ['Alt+Up'] },
  { id: 'cheat-sheet', label: 'Keyboard shortcuts', group: 'Help', keys: ['Ctrl+/'] },
  { id: 'close-dialog', label: 'Close dialog or find bar', group: 'Help', keys: [], localKeys: ['Esc'] },
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

/** Chord → command, built from a table (the defaults, or later the user's bindings). */
export class Keymap {
  private readonly byChord = new Map<string, CommandId>();

  constructor(commands: readonly CommandSpec[] = COMMANDS) {
    for (const c of commands) for (const k of c.keys) this.byChord.set(k, c.id);
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
