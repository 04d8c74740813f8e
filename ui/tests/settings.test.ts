// The settings panel against FakeBackend: opening it with Ctrl+, , the playback numbers stored
// in the settings, and rebinding keys (capture, a chord moving from another command, Reset).
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeAll, describe, expect, it } from 'vitest';
import App from '../src/App.svelte';
import { FakeBackend, makeDocument } from '../src/fake/backend';

const PATH = '/data/episode.vtt';

beforeAll(() => {
  // jsdom has no canvas (the waveform strip is mounted when audio is attached): answer null
  // quietly instead of jsdom's "not implemented" message.
  HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement['getContext'];
});

async function setup({ audio = true } = {}) {
  const backend = new FakeBackend([makeDocument(['One.', 'Two.', 'Three.'], { path: PATH })]);
  if (audio) backend.audioBeside.set(PATH, '/fake/a.mp3');
  render(App, { backend });
  await screen.findByRole('list', { name: 'Cues' });
  if (audio) await screen.findByRole('button', { name: 'Play' });
  return backend;
}

/** Dispatches a keydown where the focus is; returns false when a handler prevented it. */
function key(init: KeyboardEventInit & { key: string }, target: Element | Window = document.activeElement ?? document.body) {
  return target.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
}

async function openSettings() {
  key({ key: ',', code: 'Comma', ctrlKey: true });
  return screen.findByRole('dialog', { name: 'Settings' });
}

const row = (id: string) => {
  const el = document.querySelector<HTMLElement>(`tr[data-command="${id}"]`);
  if (!el) throw new Error(`no row ${id}`);
  return el;
};
const chords = (id: string) => [...row(id).querySelectorAll('kbd')].map((k) => k.textContent);
const cueText = (index: number) =>
  within(document.querySelector<HTMLElement>(`[role="listitem"][data-cue-index="${index}"]`)!).getByLabelText('Cue text');
const notice = () => screen.getByRole('status', { name: 'Key binding changes' });
const skips = (b: FakeBackend) => b.calls.filter((c) => c.startsWith('playback {"op":"skip"'));

async function capture(id: string, init: KeyboardEventInit & { key: string }) {
  await fireEvent.click(within(row(id)).getByRole('button', { name: 'Add key' }));
  expect(within(row(id)).getByRole('button', { name: /Press a key/ })).toHaveAttribute('aria-pressed', 'true');
  key(init);
  await waitFor(() => expect(within(row(id)).getByRole('button', { name: 'Add key' })).toBeInTheDocument());
}

describe('settings panel', () => {
  it('opens with Ctrl+, and closes with Esc or Close', async () => {
    await setup();
    const dialog = await openSettings();
    expect(within(dialog).getByRole('checkbox', { name: 'Autosave' })).toBeChecked();
    expect(screen.getByLabelText('Skip distance (seconds)')).toHaveValue(2);
    expect(screen.getByLabelText('Auto-rewind (seconds)')).toHaveValue(1);
    key({ key: 'Escape', code: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Settings' })).toBeNull());

    await openSettings();
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Settings' })).toBeNull());
  });

  it('stores autosave, the skip distance and auto-rewind (clamped to their ranges)', async () => {
    const backend = await setup();
    const dialog = await openSettings();
    await fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Autosave' }));
    await waitFor(() => expect(backend.settings.autosave).toBe(false));

    const skip = screen.getByLabelText('Skip distance (seconds)') as HTMLInputElement;
    await fireEvent.change(skip, { target: { value: '5' } });
    await waitFor(() => expect(backend.settings.skipMs).toBe(5000));
    await fireEvent.change(skip, { target: { value: '0.01' } });
    await waitFor(() => expect(backend.settings.skipMs).toBe(100));
    expect(skip).toHaveValue(0.1);
    await fireEvent.change(skip, { target: { value: '' } });
    expect(backend.settings.skipMs).toBe(100);
    expect(skip).toHaveValue(0.1);

    const rewind = screen.getByLabelText('Auto-rewind (seconds)') as HTMLInputElement;
    await fireEvent.change(rewind, { target: { value: '0' } });
    await waitFor(() => expect(backend.settings.autoRewindMs).toBe(0));
    await fireEvent.change(rewind, { target: { value: '99' } });
    await waitFor(() => expect(backend.settings.autoRewindMs).toBe(60_000));

    // The transport's skip uses the new distance.
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Skip forward' }));
    await waitFor(() => expect(skips(backend).at(-1)).toBe('playback {"op":"skip","delta_ms":100}'));
  });

  it('lists every command by group with its keys', async () => {
    await setup();
    const dialog = await openSettings();
    expect(within(dialog).getByRole('rowheader', { name: 'Skip back' })).toBeInTheDocument();
    expect(chords('skip-back')).toEqual(['F1']);
    expect(chords('redo')).toEqual(['Ctrl+Y', 'Ctrl+Shift+Z']);
    expect(chords('play-pause')).toEqual(['Esc', 'Ctrl+Space', 'MediaPlayPause']);
    const groups = [...dialog.querySelectorAll('th[scope="rowgroup"]')].map((th) => th.textContent);
    expect(groups).toEqual(['File', 'Edit', 'Find', 'Navigate', 'Review', 'Playback', 'Timing', 'Help']);
  });

  it('rebinds Skip back to Ctrl+1: the new chord runs it in a cue', async () => {
    const backend = await setup();
    await openSettings();
    await capture('skip-back', { key: '1', code: 'Digit1', ctrlKey: true });
    expect(chords('skip-back')).toEqual(['F1', 'Ctrl+1']);
    await waitFor(() => expect(backend.settings.keyBindings).toEqual({ 'skip-back': ['F1', 'Ctrl+1'] }));
    expect(notice()).toHaveTextContent('Ctrl+1 now runs Skip back.');

    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const box = cueText(1);
    box.focus();
    expect(key({ key: '1', code: 'Digit1', ctrlKey: true }, box)).toBe(false);
    await waitFor(() => expect(skips(backend)).toEqual(['playback {"op":"skip","delta_ms":-2000}']));
  });

  it('waits through bare modifiers, cancels with Esc, and keeps keys from the app meanwhile', async () => {
    const backend = await setup();
    await openSettings();
    await fireEvent.click(within(row('skip-back')).getByRole('button', { name: 'Add key' }));
    key({ key: 'Control', code: 'ControlLeft', ctrlKey: true });
    expect(within(row('skip-back')).getByRole('button', { name: /Press a key/ })).toBeInTheDocument();
    // Esc cancels the capture, not the dialog.
    key({ key: 'Escape', code: 'Escape' });
    await waitFor(() => expect(within(row('skip-back')).getByRole('button', { name: 'Add key' })).toBeInTheDocument());
    expect(screen.getByRole('dialog', { name: 'Settings' })).toBeInTheDocument();
    expect(chords('skip-back')).toEqual(['F1']);
    expect(backend.settings.keyBindings).toEqual({});
    // The next Esc closes the panel, and no capture is left behind.
    key({ key: 'Escape', code: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('moves F1 to Play / pause, saying it left Skip back; Reset gives it back', async () => {
    const backend = await setup();
    await openSettings();
    await capture('play-pause', { key: 'F1', code: 'F1' });
    expect(notice()).toHaveTextContent('F1 was removed from Skip back.');
    expect(chords('play-pause')).toEqual(['Esc', 'Ctrl+Space', 'MediaPlayPause', 'F1']);
    expect(chords('skip-back')).toEqual([]);
    expect(within(row('skip-back')).getByText('No key')).toBeInTheDocument();
    await waitFor(() =>
      expect(backend.settings.keyBindings).toEqual({
        'play-pause': ['Esc', 'Ctrl+Space', 'MediaPlayPause', 'F1'],
        'skip-back': [],
      }),
    );

    await fireEvent.click(within(row('skip-back')).getByRole('button', { name: 'Reset' }));
    expect(chords('skip-back')).toEqual(['F1']);
    expect(chords('play-pause')).toEqual(['Esc', 'Ctrl+Space', 'MediaPlayPause']);
    await waitFor(() => expect(backend.settings.keyBindings).toEqual({}));
    expect(within(row('skip-back')).getByRole('button', { name: 'Reset' })).toBeDisabled();
  });

  it('removes a chord with its chip, and Reset all restores every default', async () => {
    const backend = await setup();
    await openSettings();
    await fireEvent.click(within(row('redo')).getByRole('button', { name: 'Remove Ctrl+Y' }));
    expect(chords('redo')).toEqual(['Ctrl+Shift+Z']);
    await capture('slower', { key: '[', code: 'BracketLeft', ctrlKey: true });
    await waitFor(() =>
      expect(backend.settings.keyBindings).toEqual({ redo: ['Ctrl+Shift+Z'], slower: ['F3', 'Ctrl+['] }),
    );
    await fireEvent.click(screen.getByRole('button', { name: 'Reset all' }));
    await waitFor(() => expect(backend.settings.keyBindings).toEqual({}));
    expect(chords('redo')).toEqual(['Ctrl+Y', 'Ctrl+Shift+Z']);
    expect(chords('slower')).toEqual(['F3']);
  });

  it('refuses a key that types text', async () => {
    const backend = await setup();
    await openSettings();
    await capture('skip-back', { key: 'a', code: 'KeyA' });
    expect(notice()).toHaveTextContent('A types text in a cue');
    expect(chords('skip-back')).toEqual(['F1']);
    expect(backend.settings.keyBindings).toEqual({});
  });

  it('takes a chord a native-menu accelerator swallowed, delivered as a menu command', async () => {
    const backend = await setup();
    await openSettings();
    await fireEvent.click(within(row('loop-cue')).getByRole('button', { name: 'Add key' }));
    // GTK gave Ctrl+G to the menu's Go to time item; App maps it back to the chord.
    backend.emitMenuCommand('go-to-time');
    await waitFor(() => expect(chords('loop-cue')).toEqual(['F6', 'Ctrl+G']));
    expect(chords('go-to-time')).toEqual([]);
    expect(notice()).toHaveTextContent('Ctrl+G now runs Loop the cue. Ctrl+G was removed from Go to time…');
    // It did not run: no other dialog replaced the settings.
    expect(screen.getByRole('dialog', { name: 'Settings' })).toBeInTheDocument();
  });

  it('leaves no capture behind when the panel closes mid-capture', async () => {
    const backend = await setup();
    await openSettings();
    await fireEvent.click(within(row('skip-back')).getByRole('button', { name: 'Add key' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    // Keys reach the app again.
    const box = cueText(0);
    box.focus();
    key({ key: 'F2', code: 'F2' }, box);
    await waitFor(() => expect(skips(backend)).toEqual(['playback {"op":"skip","delta_ms":2000}']));
  });
});
