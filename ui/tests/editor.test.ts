import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../src/App.svelte';
import { FakeBackend, makeDocument } from '../src/fake/backend';
import { COMMANDS, keysOf } from '../src/lib/keymap';
import { row, text } from './rows';

const PATH = '/data/episode.vtt';

async function setup(texts: string[], opts: Parameters<typeof makeDocument>[1] = {}) {
  const backend = new FakeBackend([makeDocument(texts, { path: PATH, ...opts })]);
  render(App, { backend });
  await screen.findByRole('list', { name: 'Cues' });
  return backend;
}

const start = (index: number) => within(row(index)).getByLabelText('Start') as HTMLInputElement;
const end = (index: number) => within(row(index)).getByLabelText('End') as HTMLInputElement;
const editorToolbar = () => screen.getByRole('toolbar', { name: 'Editor' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function type(el: HTMLTextAreaElement, value: string) {
  el.focus();
  fireEvent.input(el, { target: { value } });
}

/** Dispatches a keydown synchronously; returns false when a handler prevented the default. */
function key(el: Element, init: KeyboardEventInit & { key: string }) {
  return el.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
}

const setTexts = (b: FakeBackend) => b.edits.flat().filter((e) => e.op === 'set_text');

describe('drafts', () => {
  it('sends one set_text after the typing pauses, never per keystroke', async () => {
    const backend = await setup(['Hello there.', 'Second.']);
    type(text(0), 'Hello t');
    type(text(0), 'Hello th');
    type(text(0), 'Hello the world.');
    expect(backend.edits).toHaveLength(0);
    expect(screen.getByLabelText('Save status')).toHaveTextContent('Unsaved changes');
    await sleep(200);
    expect(backend.edits).toHaveLength(0);
    await waitFor(() => expect(backend.edits).toHaveLength(1));
    expect(backend.edits[0]).toEqual([{ op: 'set_text', cue: 0, text: 'Hello the world.' }]);
    expect(backend.textsOf(PATH)[0]).toBe('Hello the world.');
    expect(text(0).value).toBe('Hello the world.');
  });

  it('sends the draft on blur', async () => {
    const backend = await setup(['One.', 'Two.']);
    type(text(1), 'Two, edited.');
    fireEvent.blur(text(1));
    await waitFor(() => expect(setTexts(backend)).toEqual([{ op: 'set_text', cue: 1, text: 'Two, edited.' }]));
  });

  it('flushes the draft before any other command', async () => {
    const backend = await setup(['One.', 'Two.']);
    type(text(0), 'One, edited.');
    await fireEvent.click(within(editorToolbar()).getByRole('button', { name: 'Insert cue after' }));
    await waitFor(() => expect(backend.edits).toHaveLength(2));
    expect(backend.edits[0]).toEqual([{ op: 'set_text', cue: 0, text: 'One, edited.' }]);
    expect(backend.edits[1]).toEqual([{ op: 'insert', at: 1, start_ms: 3500, end_ms: 4000, text: '' }]);
    // The new cue's text field has the focus.
    await waitFor(() => expect(document.activeElement).toBe(text(1)));
    expect(text(1).value).toBe('');
  });

  it('keeps a draft typed while its flush was in flight', async () => {
    const backend = await setup(['One.', 'Two.']);
    backend.latencyMs = 40;
    type(text(0), 'One a');
    fireEvent.blur(text(0));
    await sleep(10);
    type(text(0), 'One ab'); // typed while Rust is answering
    await waitFor(() => expect(backend.edits).toHaveLength(1));
    await sleep(60);
    expect(text(0).value).toBe('One ab');
    await waitFor(() => expect(backend.edits).toHaveLength(2), { timeout: 2000 });
    expect(backend.edits[1]).toEqual([{ op: 'set_text', cue: 0, text: 'One ab' }]);
  });
});

describe('drafts in the crash journal', () => {
  it('steady typing reaches the journal every 50 ms, without becoming an edit', async () => {
    const backend = await setup(['Hello there.', 'Second.']);
    // A keystroke every 20 ms for 300 ms: the idle flush never fires, the journal keeps up.
    let value = 'Second.';
    for (let i = 0; i < 15; i++) {
      value += 'x';
      type(text(1), value);
      await sleep(20);
    }
    expect(backend.edits).toHaveLength(0);
    const sent = backend.journaledDrafts.map(([, cue, t]) => [cue, t.length]);
    // at least one journaled draft per 100 ms of typing, each newer than the last, none repeated
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(sent.length).toBeLessThanOrEqual(10);
    for (let i = 1; i < sent.length; i++) expect(sent[i][1]).toBeGreaterThan(sent[i - 1][1]);
    expect(sent.every(([cue]) => cue === 1)).toBe(true);
    await waitFor(() => expect(backend.journaledDrafts.at(-1)?.[2]).toBe(value));
    // then the pause: one edit with the whole text
    await waitFor(() => expect(backend.edits).toEqual([[{ op: 'set_text', cue: 1, text: value }]]));
  });
});

describe('edits made against an older revision', () => {
  it('a draft flushed across a reload is refused as stale, then goes to the cue it was typed in', async () => {
    const backend = await setup(['One.', 'Two.']);
    backend.latencyMs = 40;
    type(text(1), 'Two, edited.');
    fireEvent.blur(text(1)); // the flush is on its way with the view's revision...
    await sleep(10);
    backend.changeOnDisk(1, ['Inserted on disk.', 'One.', 'Two.']); // ...when the file reloads
    await waitFor(() => expect(backend.textsOf(PATH)).toEqual(['Inserted on disk.', 'One.', 'Two, edited.']), {
      timeout: 3000,
    });
    expect(backend.calls.filter((c) => c.startsWith('applyEdits'))).toEqual([
      'applyEdits [{"op":"set_text","cue":1,"text":"Two, edited."}]',
      'applyEdits [{"op":"set_text","cue":2,"text":"Two, edited."}]',
    ]);
  });
});

describe('history', () => {
  it('Ctrl+Z inside a textarea runs the app undo, not the field undo', async () => {
    const backend = await setup(['Original.', 'Two.']);
    type(text(0), 'Changed.');
    const notPrevented = key(text(0), { key: 'z', code: 'KeyZ', ctrlKey: true });
    expect(notPrevented).toBe(false);
    await waitFor(() => expect(backend.calls).toContain('undo'));
    // The draft was sent first, then undone.
    expect(backend.edits[0]).toEqual([{ op: 'set_text', cue: 0, text: 'Changed.' }]);
    await waitFor(() => expect(text(0).value).toBe('Original.'));
    key(text(0), { key: 'Z', code: 'KeyZ', ctrlKey: true, shiftKey: true });
    await waitFor(() => expect(text(0).value).toBe('Changed.'));
    key(text(0), { key: 'z', code: 'KeyZ', ctrlKey: true });
    await waitFor(() => expect(text(0).value).toBe('Original.'));
    key(text(0), { key: 'y', code: 'KeyY', ctrlKey: true });
    await waitFor(() => expect(text(0).value).toBe('Changed.'));
  });

  it('the field\'s own history (historyUndo) is routed to the app', async () => {
    const backend = await setup(['A.', 'B.']);
    fireEvent(text(0), new InputEvent('beforeinput', { inputType: 'historyUndo', cancelable: true, bubbles: true }));
    await waitFor(() => expect(backend.calls).toContain('undo'));
  });
});

describe('time fields', () => {
  it('marks invalid input, sends nothing, and commits a valid time on Enter', async () => {
    const backend = await setup(['One.', 'Two.']);
    const field = start(1);
    fireEvent.input(field, { target: { value: '00:00:0x' } });
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(within(row(1)).getByText(/HH:MM:SS\.mmm/)).toBeVisible();
    key(field, { key: 'Enter' });
    fireEvent.blur(field);
    await sleep(20);
    expect(backend.edits).toHaveLength(0);

    fireEvent.input(field, { target: { value: '00:00:09.000' } }); // after the end (7.5 s)
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(within(row(1)).getByText('Start must not be after the end')).toBeInTheDocument();

    fireEvent.input(field, { target: { value: '00:04.250' } });
    expect(field).not.toHaveAttribute('aria-invalid');
    key(field, { key: 'Enter' });
    await waitFor(() => expect(backend.edits).toEqual([[{ op: 'set_timing', cue: 1, start_ms: 4250 }]]));
    await waitFor(() => expect(start(1).value).toBe('00:00:04.250'));
    expect(row(1)).toHaveAttribute('data-start-ms', '4250');
  });

  it('a TXT time with milliseconds is refused with a reason (TXT holds whole seconds)', async () => {
    const backend = await setup(['One.', 'Two.'], { path: '/fake/episode.txt', format: 'txt' });
    const field = start(1);
    fireEvent.input(field, { target: { value: '00:00:04.500' } });
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(within(row(1)).getByText(/whole seconds/)).toBeInTheDocument();
    key(field, { key: 'Enter' });
    await sleep(20);
    expect(backend.edits).toHaveLength(0);
    fireEvent.input(field, { target: { value: '00:00:04' } });
    expect(field).not.toHaveAttribute('aria-invalid');
  });

  it('Esc reverts the typed time', async () => {
    const backend = await setup(['One.']);
    fireEvent.input(end(0), { target: { value: '12' } });
    key(end(0), { key: 'Escape' });
    await waitFor(() => expect(end(0).value).toBe('00:00:03.500'));
    expect(end(0)).not.toHaveAttribute('aria-invalid');
    fireEvent.blur(end(0));
    await sleep(20);
    expect(backend.edits).toHaveLength(0);
  });

  it('TXT entries have no End field', async () => {
    await setup(['One.', 'Two.'], { format: 'txt', path: '/data/episode.txt' });
    expect(within(row(0)).queryByLabelText('End')).toBeNull();
  });
});

describe('cue commands', () => {
  it('splits at the caret, counting an emoji before it as one character', async () => {
    const backend = await setup(['Hi 😀 there', 'Two.']);
    const field = text(0);
    field.focus();
    fireEvent.focusIn(field);
    // UTF-16: "Hi " = 3, 😀 = 2, " " = 1 → caret before "there" at 6; scalar values: 5.
    field.setSelectionRange(6, 6);
    key(field, { key: 'v', code: 'KeyV', ctrlKey: true, altKey: true });
    await waitFor(() => expect(backend.edits).toHaveLength(1));
    // 10 characters over 3,500 ms: 5/10 of it.
    expect(backend.edits[0]).toEqual([{ op: 'split', cue: 0, at_char: 5, at_ms: 1750 }]);
    await waitFor(() => expect(text(1).value).toBe('there'));
    expect(text(0).value).toBe('Hi 😀');
  });

  it('merges with the next cue and deletes a cue from the per-cue toolbar', async () => {
    const backend = await setup(['One.', 'Two.', 'Three.']);
    text(0).focus();
    fireEvent.focusIn(text(0));
    const tools = await within(row(0)).findByRole('toolbar');
    await fireEvent.click(within(tools).getByRole('button', { name: 'Merge with next' }));
    await waitFor(() => expect(backend.textsOf(PATH)).toEqual(['One. Two.', 'Three.']));
    await waitFor(() => expect(document.activeElement).toBe(text(0)));
    const tools1 = within(row(1));
    fireEvent.focusIn(text(1));
    await fireEvent.click(await tools1.findByRole('button', { name: 'Delete cue' }));
    await waitFor(() => expect(backend.textsOf(PATH)).toEqual(['One. Two.']));
    expect(backend.edits).toEqual([[{ op: 'merge', cue: 0 }], [{ op: 'delete', cue: 1 }]]);
  });

  it('nudges typed faster than the backend answers are all applied, in order', async () => {
    await setup(['One.', 'Two.']);
    const before = start(1).value;
    text(1).focus();
    // three nudges at once: -100, -100, +100 (Shift+F11, Shift+F11, Ctrl+F11)
    key(text(1), { key: 'F11', shiftKey: true });
    key(text(1), { key: 'F11', shiftKey: true });
    key(text(1), { key: 'F11', ctrlKey: true });
    key(text(1), { key: 'F12', ctrlKey: true });
    await waitFor(() => expect(start(1).value).not.toBe(before));
    await sleep(100);
    expect(start(1).value).toBe('00:00:03.900');
    expect(end(1).value).toBe('00:00:07.600');
  });

  it('Alt+Down / Alt+Up move the focus between cues', async () => {
    await setup(['One.', 'Two.', 'Three.']);
    text(0).focus();
    fireEvent.focusIn(text(0));
    key(text(0), { key: 'ArrowDown', code: 'ArrowDown', altKey: true });
    await waitFor(() => expect(document.activeElement).toBe(text(1)));
    fireEvent.focusIn(text(1));
    key(text(1), { key: 'ArrowDown', code: 'ArrowDown', altKey: true });
    await waitFor(() => expect(document.activeElement).toBe(text(2)));
    fireEvent.focusIn(text(2));
    key(text(2), { key: 'ArrowUp', code: 'ArrowUp', altKey: true });
    await waitFor(() => expect(document.activeElement).toBe(text(1)));
  });

  it('Ctrl+G goes to the cue at or before a time', async () => {
    await setup(['One.', 'Two.', 'Three.', 'Four.']);
    key(document.body, { key: 'g', code: 'KeyG', ctrlKey: true });
    const dialog = await screen.findByRole('dialog', { name: 'Go to time' });
    const field = within(dialog).getByLabelText('Go to time');
    fireEvent.input(field, { target: { value: 'nonsense' } });
    await fireEvent.submit(field.closest('form')!);
    expect(field).toHaveAttribute('aria-invalid', 'true');
    fireEvent.input(field, { target: { value: '00:00:09.999' } });
    await fireEvent.submit(field.closest('form')!);
    await waitFor(() => expect(document.activeElement).toBe(text(2)));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('a read-only document offers no editing', async () => {
    await setup(['One.'], { readOnlyReason: 'not UTF-8 or UTF-16 text' });
    expect(text(0)).toHaveAttribute('readonly');
    expect(start(0)).toHaveAttribute('readonly');
    fireEvent.focusIn(text(0));
    expect(within(row(0)).queryByRole('toolbar')).toBeNull();
    expect(screen.getByText('Read-only')).toBeInTheDocument();
    expect(screen.getByText(/cannot be edited: not UTF-8/)).toBeInTheDocument();
  });
});

describe('saving', () => {
  it('shows Saved → Unsaved changes → Saving… → Saved, and the title marker', async () => {
    const backend = await setup(['One.', 'Two.']);
    const status = screen.getByLabelText('Save status');
    expect(status).toHaveTextContent(/^Saved$/);
    expect(document.title).toBe('episode.vtt — Cueline');
    type(text(0), 'One!');
    expect(status).toHaveTextContent(/^Unsaved changes$/);
    await waitFor(() => expect(document.title).toBe('episode.vtt • — Cueline'));
    backend.latencyMs = 30;
    key(text(0), { key: 's', code: 'KeyS', ctrlKey: true });
    await waitFor(() => expect(status).toHaveTextContent(/^Saving…$/));
    await waitFor(() => expect(status).toHaveTextContent(/^Saved$/));
    expect(backend.calls.filter((c) => c === 'saveDocument')).toHaveLength(1);
    expect(backend.edits[0]).toEqual([{ op: 'set_text', cue: 0, text: 'One!' }]);
    await waitFor(() => expect(document.title).toBe('episode.vtt — Cueline'));
  });

  it('a conflict is shown in an alert and nothing is lost', async () => {
    const backend = await setup(['One.', 'Two.']);
    backend.conflicts.add(PATH);
    type(text(0), 'One, mine.');
    await fireEvent.click(within(editorToolbar()).getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/changed on disk/);
    expect(screen.getByLabelText('Save status')).toHaveTextContent('Unsaved changes');
    expect(text(0).value).toBe('One, mine.');
  });

  it('the native menu runs the same commands', async () => {
    const backend = await setup(['One.']);
    backend.emitMenuCommand('save');
    await waitFor(() => expect(backend.calls).toContain('saveDocument'));
  });

  it('a key press that also reaches the menu accelerator runs once', async () => {
    const backend = await setup(['One.']);
    key(document.body, { key: 's', code: 'KeyS', ctrlKey: true });
    backend.emitMenuCommand('save');
    await sleep(30);
    expect(backend.calls.filter((c) => c === 'saveDocument')).toHaveLength(1);
    await sleep(200);
    backend.emitMenuCommand('save');
    await waitFor(() => expect(backend.calls.filter((c) => c === 'saveDocument')).toHaveLength(2));
  });

  it('asks before closing with unsaved changes', async () => {
    const backend = await setup(['One.']);
    type(text(0), 'Changed.');
    fireEvent.blur(text(0));
    await waitFor(() => expect(backend.edits).toHaveLength(1));
    backend.emitCloseRequested();
    const dialog = await screen.findByRole('alertdialog', { name: 'Save changes before closing?' });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Discard changes' })).toBeInTheDocument();
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save and close' }));
    await waitFor(() => expect(backend.forceClosed).toBe(true));
    expect(backend.calls).toContain('saveDocument');
  });

  it('closes without asking when everything is saved', async () => {
    const backend = await setup(['One.']);
    backend.emitCloseRequested();
    await waitFor(() => expect(backend.forceClosed).toBe(true));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });

  it('sends a draft typed just before closing, then asks', async () => {
    const backend = await setup(['One.']);
    type(text(0), 'Typed just now.');
    backend.emitCloseRequested();
    await screen.findByRole('alertdialog', { name: 'Save changes before closing?' });
    expect(backend.edits).toHaveLength(1);
    expect(backend.forceClosed).toBe(false);
  });
});

describe('find and replace', () => {
  const texts = ['The cat sat.', 'A dog and a cat.', 'No match here.', 'Cat at the end: cat'];

  it('finds, counts, highlights, and steps to next and previous', async () => {
    const backend = await setup(texts);
    key(document.body, { key: 'f', code: 'KeyF', ctrlKey: true });
    const field = await screen.findByLabelText('Find');
    await waitFor(() => expect(document.activeElement).toBe(field));
    fireEvent.input(field, { target: { value: 'cat' } });
    await waitFor(() => expect(screen.getByText('4 matches')).toBeInTheDocument());
    expect(document.querySelectorAll('mark')).toHaveLength(4);
    await fireEvent.click(screen.getByRole('button', { name: 'Next match' }));
    await waitFor(() => expect(screen.getByText('1 of 4')).toBeInTheDocument());
    expect(row(0).querySelector('mark.current-hit')).toHaveTextContent('cat');
    key(field, { key: 'Enter' });
    await waitFor(() => expect(screen.getByText('2 of 4')).toBeInTheDocument());
    key(field, { key: 'F3', code: 'F3', ctrlKey: true });
    await waitFor(() => expect(screen.getByText('3 of 4')).toBeInTheDocument());
    await fireEvent.click(screen.getByRole('button', { name: 'Previous match' }));
    await waitFor(() => expect(screen.getByText('2 of 4')).toBeInTheDocument());
    key(field, { key: 'Enter', shiftKey: true });
    await waitFor(() => expect(screen.getByText('1 of 4')).toBeInTheDocument());
    key(field, { key: 'Enter', shiftKey: true });
    await waitFor(() => expect(screen.getByText('4 of 4')).toBeInTheDocument());

    await fireEvent.click(screen.getByLabelText('Match case'));
    await waitFor(() => expect(screen.getByText('3 matches')).toBeInTheDocument());
    await fireEvent.click(screen.getByLabelText('Whole word'));
    fireEvent.input(field, { target: { value: 'at' } });
    await waitFor(() => expect(screen.getByText('1 match')).toBeInTheDocument());
    await fireEvent.click(screen.getByLabelText('Regex'));
    fireEvent.input(field, { target: { value: '[' } });
    await waitFor(() => expect(field).toHaveAttribute('aria-invalid', 'true'));

    expect(screen.getByRole('search')).toHaveTextContent(/Invalid pattern/);
    expect(backend.calls.at(-1)).toContain('"regex":true');
    key(field, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByLabelText('Find')).toBeNull());
  });

  it('replace all is one call and one undo step; replace does one hit', async () => {
    const backend = await setup(texts);
    key(document.body, { key: 'h', code: 'KeyH', ctrlKey: true });
    const field = await screen.findByLabelText('Find');
    fireEvent.input(field, { target: { value: 'cat' } });
    fireEvent.input(screen.getByLabelText('Replace with'), { target: { value: 'fox' } });
    await waitFor(() => expect(screen.getByText('4 matches')).toBeInTheDocument());

    await fireEvent.click(screen.getByRole('button', { name: 'Replace' }));
    await waitFor(() => expect(screen.getByText('1 of 4')).toBeInTheDocument());
    await fireEvent.click(screen.getByRole('button', { name: 'Replace' }));
    await waitFor(() => expect(backend.textsOf(PATH)[0]).toBe('The fox sat.'));
    await waitFor(() => expect(screen.getByText(/of 3$/)).toBeInTheDocument());

    await fireEvent.click(screen.getByRole('button', { name: 'Replace all' }));
    await waitFor(() => expect(backend.textsOf(PATH)).toEqual(['The fox sat.', 'A dog and a fox.', 'No match here.', 'fox at the end: fox']));
    const calls = backend.calls.filter((c) => c.startsWith('replaceInDocument'));
    expect(calls).toHaveLength(2);
    expect(calls[1]).toContain('"target":null');
    await waitFor(() => expect(screen.getByText('No matches')).toBeInTheDocument());

    key(document.body, { key: 'z', code: 'KeyZ', ctrlKey: true });
    await waitFor(() => expect(backend.textsOf(PATH)).toEqual(['The fox sat.', 'A dog and a cat.', 'No match here.', 'Cat at the end: cat']));
  });
});

describe('cheat sheet', () => {
  it('Ctrl+/ lists every command of the keymap with its keys; Esc closes it', async () => {
    await setup(['One.']);
    key(document.body, { key: '/', code: 'Slash', ctrlKey: true });
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    for (const c of COMMANDS) {
      const line = dialog.querySelector(`[data-command="${c.id}"]`);
      expect(line, c.id).not.toBeNull();
      expect(line).toHaveTextContent(c.label);
      for (const k of keysOf(c)) expect(line).toHaveTextContent(k);
    }
    key(document.body, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});

describe('files', () => {
  it('lists a folder\'s episodes and opens a file after sending the draft', async () => {
    const backend = new FakeBackend([
      makeDocument(['First.'], { path: '/show/ep1.vtt' }),
      makeDocument(['Other.'], { path: '/show/ep2.srt', format: 'srt' }),
    ]);
    backend.initialFolderView = {
      root: '/show',
      episodes: [
        { name: 'ep1', files: [{ path: '/show/ep1.vtt', format: 'vtt' }] },
        { name: 'ep2', files: [{ path: '/show/ep2.srt', format: 'srt' }] },
      ],
    };
    render(App, { backend });
    await screen.findByRole('list', { name: 'Cues' });
    const nav = await screen.findByRole('navigation', { name: 'Files' });
    expect(within(nav).getByText('ep1')).toBeInTheDocument();
    type(text(0), 'First, edited.');
    await fireEvent.click(within(nav).getAllByRole('button', { name: 'Open ep2.srt' })[0]);
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('ep2.srt'));
    expect(backend.textsOf('/show/ep1.vtt')).toEqual(['First, edited.']);
    expect(text(0).value).toBe('Other.');
  });

  it('opens a dropped or handed-over file (Rust grants it and sends OpenRequested)', async () => {
    const backend = new FakeBackend([makeDocument(['A.'], { path: '/a.vtt' }), makeDocument(['B.'], { path: '/b.vtt' })]);
    render(App, { backend });
    await screen.findByRole('list', { name: 'Cues' });
    backend.emitOpenRequested(['/b.vtt']);
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('b.vtt'));
  });
});

describe('the list while editing', () => {
  it('keeps the scroll position and the focused row when an edit comes back', async () => {
    const texts = Array.from({ length: 500 }, (_, i) => `Cue ${i}.`);
    const backend = await setup(texts);
    const viewport = screen.getByRole('list', { name: 'Cues' }).parentElement!;
    let resets = 0;
    const desc = Object.getOwnPropertyDescriptor(Element.prototype, 'scrollTop')!;
    Object.defineProperty(viewport, 'scrollTop', {
      get() {
        return desc.get!.call(this);
      },
      set(v: number) {
        if (v === 0) resets++;
        desc.set!.call(this, v);
      },
    });
    type(text(3), 'Cue 3, edited.');
    fireEvent.blur(text(3));
    await waitFor(() => expect(backend.edits).toHaveLength(1));
    await sleep(20);
    expect(resets).toBe(0);
  });
});
