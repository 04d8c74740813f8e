import { describe, expect, it } from 'vitest';
import { COMMANDS, Keymap, bind, chordOf, resetBinding, unbind, withBindings } from '../src/lib/keymap';
import { charCount, parseTime, splitTime, utf16ToChars } from '../src/lib/time';

const ev = (key: string, code: string, mods: Partial<Record<'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey', boolean>> = {}) => ({
  key,
  code,
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  metaKey: false,
  ...mods,
});

describe('keymap', () => {
  const km = new Keymap();
  it('matches the default keys', () => {
    expect(km.match(ev('s', 'KeyS', { ctrlKey: true }))).toBe('save');
    expect(km.match(ev('Z', 'KeyZ', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(km.match(ev('y', 'KeyY', { ctrlKey: true }))).toBe('redo');
    expect(km.match(ev('z', 'KeyZ', { ctrlKey: true }))).toBe('undo');
    expect(km.match(ev('ArrowDown', 'ArrowDown', { altKey: true }))).toBe('next-cue');
    expect(km.match(ev('Enter', 'Enter', { ctrlKey: true, shiftKey: true }))).toBe('insert-cue-after');
    expect(km.match(ev('Delete', 'Delete', { ctrlKey: true, shiftKey: true }))).toBe('delete-cue');
    // Ctrl+Alt+V types another character on some layouts: matched by position.
    expect(km.match(ev('√', 'KeyV', { ctrlKey: true, altKey: true }))).toBe('split-cue');
    expect(km.match(ev('M', 'KeyM', { ctrlKey: true, shiftKey: true }))).toBe('merge-with-next');
    expect(km.match(ev('/', 'Slash', { ctrlKey: true }))).toBe('cheat-sheet');
    expect(km.match(ev('F3', 'F3', { ctrlKey: true, shiftKey: true }))).toBe('find-previous');
    expect(km.match(ev('F3', 'F3', { ctrlKey: true }))).toBe('find-next');
  });
  it('puts playback on keys that never type text (oTranscribe, Subtitle Edit defaults)', () => {
    const expected: [ReturnType<typeof ev>, string][] = [
      [ev('Escape', 'Escape'), 'play-pause'],
      [ev(' ', 'Space', { ctrlKey: true }), 'play-pause'],
      [ev('MediaPlayPause', ''), 'play-pause'],
      [ev('F1', 'F1'), 'skip-back'],
      [ev('F2', 'F2'), 'skip-forward'],
      [ev('F3', 'F3'), 'slower'],
      [ev('F4', 'F4'), 'faster'],
      [ev('Enter', 'Enter', { ctrlKey: true }), 'play-cue'],
      [ev('F11', 'F11'), 'set-start'],
      [ev('F12', 'F12'), 'set-end'],
      [ev('F11', 'F11', { shiftKey: true }), 'start-earlier'],
      [ev('F12', 'F12', { ctrlKey: true }), 'end-later'],
    ];
    for (const [e, id] of expected) expect(km.match(e), chordOf(e) ?? '').toBe(id);
    // Keys that type text stay with the text.
    for (const e of [ev('a', 'KeyA'), ev(' ', 'Space'), ev('Enter', 'Enter'), ev('A', 'KeyA', { shiftKey: true })]) {
      expect(km.match(e), chordOf(e) ?? '').toBeNull();
    }
    // No default chord is typed text: every one has a modifier or is a key with a long name.
    for (const c of COMMANDS) for (const k of c.keys) expect(k.includes('+') || k.length > 1, k).toBe(true);
  });
  it("applies the user's bindings, moving a chord from its old command", () => {
    let b = bind({}, 'skip-back', 'Ctrl+1').bindings;
    expect(b).toEqual({ 'skip-back': ['F1', 'Ctrl+1'] });
    const moved = bind(b, 'play-pause', 'F1');
    expect(moved.took).toEqual(['skip-back']);
    b = moved.bindings;
    let km2 = new Keymap(withBindings(b));
    expect(km2.match(ev('F1', 'F1'))).toBe('play-pause');
    expect(km2.match(ev('1', 'Digit1', { ctrlKey: true }))).toBe('skip-back');
    b = unbind(b, 'play-pause', 'Esc');
    km2 = new Keymap(withBindings(b));
    expect(km2.match(ev('Escape', 'Escape'))).toBeNull();
    b = resetBinding(b, 'play-pause');
    expect(b).toEqual({ 'skip-back': ['Ctrl+1'] });
    b = resetBinding(b, 'skip-back');
    expect(b).toEqual({});
  });
  it('binds no chord twice', () => {
    const all = COMMANDS.flatMap((c) => c.keys);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('time', () => {
  it('parses HH:MM:SS.mmm, MM:SS.mmm and SS.mmm', () => {
    expect(parseTime('01:02:03.004')).toBe(3_723_004);
    expect(parseTime('02:03.5')).toBe(123_500);
    expect(parseTime('3.25')).toBe(3250);
    expect(parseTime('90')).toBe(90_000);
    expect(parseTime('00:00:07,500')).toBe(7500);
    for (const bad of ['', 'abc', '1:60.000', '1:2:3:4', '00:00:0x', '1.2345', '-1']) expect(parseTime(bad), bad).toBeNull();
  });
  it('converts a UTF-16 caret to Unicode scalar values', () => {
    expect(utf16ToChars('Hi 😀 there', 6)).toBe(5);
    expect(utf16ToChars('😀😀', 2)).toBe(1);
    expect(charCount('Hi 😀 there')).toBe(10);
  });
  it('splits proportionally, rounded and inside the cue', () => {
    expect(splitTime(1000, 2000, 1, 3)).toBe(1333);
    expect(splitTime(1000, 2000, 0, 3)).toBe(1001);
    expect(splitTime(1000, 2000, 3, 3)).toBe(1999);
  });
});

import { keysOf } from '../src/lib/keymap';

// The README lives outside ui/; read it with Node (vitest runs in Node, jsdom on top). The app's
// tsconfig has no Node types, on purpose, so the two Node APIs used here are declared.
declare const process: { cwd(): string };
const nodeFs = (await import(/* @vite-ignore */ 'node:' + 'fs')) as { readFileSync(path: string, enc: 'utf8'): string };
const readme = nodeFs.readFileSync(`${process.cwd()}/../README.md`, 'utf8');

describe('README keyboard map', () => {
  it('lists every command of the keymap with exactly its keys', () => {
    const section = readme.split('## Keyboard map')[1]?.split('\n## ')[0] ?? '';
    const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---') && !l.startsWith('| Command'));
    expect(rows).toEqual(COMMANDS.map((c) => `| ${c.label} | ${keysOf(c).map((k) => `\`${k}\``).join(', ')} |`));
  });
});
