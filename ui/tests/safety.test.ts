// The safety net in the UI: Rust's save status, outside changes (reload notice, conflict
// banner and its three choices), the Autosave setting and crash recovery, against FakeBackend.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../src/App.svelte';
import { FakeBackend, makeDocument } from '../src/fake/backend';

const PATH = '/fake/episode.vtt';

async function start(backend = new FakeBackend([makeDocument(['One.', 'Two.', 'Three.'], { path: PATH })])) {
  render(App, { backend });
  await screen.findByRole('list', { name: 'Cues' });
  return backend;
}

async function typeInto(index: number, text: string, backend: FakeBackend) {
  const box = screen.getAllByLabelText('Cue text')[index];
  await fireEvent.input(box, { target: { value: text } });
  await fireEvent.blur(box);
  await waitFor(() => expect(backend.textsOf(PATH)[index]).toBe(text));
}

describe('safety net', () => {
  it('shows the save status Rust reports, including Saving… and Saved from autosave events', async () => {
    const backend = await start();
    const status = screen.getByLabelText('Save status');
    expect(status).toHaveTextContent(/^Saved$/);
    await typeInto(0, 'Uno.', backend);
    await waitFor(() => expect(status).toHaveTextContent(/^Unsaved changes$/));
    backend.emitChanged({ docId: 1, kind: 'status', message: null, saveStatus: 'saving' });
    await waitFor(() => expect(status).toHaveTextContent(/^Saving…$/));
    await backend.saveDocument(1); // what the autosave did in Rust
    backend.emitChanged({ docId: 1, kind: 'saved', message: null, saveStatus: 'saved' });
    await waitFor(() => expect(status).toHaveTextContent(/^Saved$/));
  });

  it('reloads a clean document changed on disk with a quiet notice', async () => {
    const backend = await start();
    backend.changeOnDisk(1, ['One.', 'Two, changed elsewhere.', 'Three.']);
    const notice = await screen.findByRole('status', { name: 'Notice' });
    expect(notice).toHaveTextContent(/Reloaded/);
    await waitFor(() => expect(screen.getAllByLabelText('Cue text')[1]).toHaveValue('Two, changed elsewhere.'));
    expect(screen.queryByRole('button', { name: 'Reload theirs' })).toBeNull();
    expect(screen.getByLabelText('Save status')).toHaveTextContent(/^Saved$/);
  });

  it('shows the conflict banner for a dirty document; Compare, Keep mine and Reload theirs', async () => {
    const backend = await start();
    await typeInto(0, 'Mine.', backend);
    backend.changeOnDisk(1, ['One.', 'Theirs.', 'Three.']);
    const banner = (await screen.findByRole('button', { name: 'Reload theirs' })).closest('[role="alert"]') as HTMLElement;
    expect(banner).toHaveTextContent(/changed on disk/);
    expect(screen.getByLabelText('Save status')).toHaveTextContent(/^Conflict$/);
    expect(backend.textsOf(PATH)).toEqual(['Mine.', 'Two.', 'Three.']);

    await fireEvent.click(within(banner).getByRole('button', { name: 'Compare' }));
    const compare = await screen.findByRole('region', { name: 'Compare' });
    const rows = compare.querySelectorAll('tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('One.');
    expect(rows[0]).toHaveTextContent('Mine.');
    expect(rows[1]).toHaveTextContent('Theirs.');

    await fireEvent.click(within(banner).getByRole('button', { name: 'Keep mine' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Keep mine' })).toBeNull());
    expect(screen.queryByRole('region', { name: 'Compare' })).toBeNull();
    expect(backend.disk.get(PATH)).toEqual(['Mine.', 'Two.', 'Three.']);
    expect(screen.getByLabelText('Save status')).toHaveTextContent(/^Saved$/);

    await typeInto(2, 'Mine again.', backend);
    backend.changeOnDisk(1, ['Theirs 2.', 'Two.', 'Three.']);
    await fireEvent.click(await screen.findByRole('button', { name: 'Reload theirs' }));
    await waitFor(() => expect(screen.getAllByLabelText('Cue text')[0]).toHaveValue('Theirs 2.'));
    expect(screen.getAllByLabelText('Cue text')[2]).toHaveValue('Three.');
    expect(screen.queryByRole('button', { name: 'Reload theirs' })).toBeNull();
    expect(screen.getByLabelText('Save status')).toHaveTextContent(/^Saved$/);
  });

  it('says so when the file is deleted, and keeps the document', async () => {
    const backend = await start();
    backend.emitChanged({ docId: 1, kind: 'deleted', message: 'The file was deleted or moved away. Your edits are kept here; Save As is not available yet.', saveStatus: 'saved' });
    expect(await screen.findByText(/deleted or moved away/)).toHaveTextContent(/Save As/);
    expect(screen.getAllByLabelText('Cue text')).toHaveLength(3);
  });

  it('switches autosave off and on through the setting', async () => {
    const backend = await start();
    const box = screen.getByRole('checkbox', { name: 'Autosave' });
    expect(box).toBeChecked();
    await fireEvent.click(box);
    await waitFor(() => expect(backend.settings.autosave).toBe(false));
    expect(box).not.toBeChecked();
  });

  it('offers to restore unsaved edits from a crash journal', async () => {
    const backend = new FakeBackend([makeDocument(['One.', 'Two.'], { path: PATH })]);
    backend.recoveries.set(PATH, { changedOnDisk: false, mine: ['One.', 'Two, unsaved.'] });
    await start(backend);
    const dialog = await screen.findByRole('alertdialog', { name: 'Restore unsaved edits?' });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Restore unsaved edits' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(screen.getAllByLabelText('Cue text')[1]).toHaveValue('Two, unsaved.');
    expect(screen.getByLabelText('Save status')).toHaveTextContent(/^Unsaved changes$/);
  });

  it('shows both versions when the file changed since, and Discard keeps the file', async () => {
    const backend = new FakeBackend([makeDocument(['One.', 'Two.'], { path: PATH })]);
    backend.recoveries.set(PATH, { changedOnDisk: true, mine: ['One.', 'Mine.'] });
    await start(backend);
    const dialog = await screen.findByRole('alertdialog', { name: 'Restore unsaved edits?' });
    expect(dialog).toHaveTextContent(/changed since/);
    const row = dialog.querySelector('tbody tr') as HTMLElement;
    expect(row).toHaveTextContent('Two.');
    expect(row).toHaveTextContent('Mine.');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Discard' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(screen.getAllByLabelText('Cue text')[1]).toHaveValue('Two.');
    expect(backend.calls).toContain('discardUnsaved');
  });
});

describe('typing meets a change on disk', () => {
  it('keeps a draft typed just before a reload of the same cue, and says so', async () => {
    const backend = await start();
    const box = screen.getAllByLabelText('Cue text')[1];
    await fireEvent.input(box, { target: { value: 'Two, as I typed it.' } });
    // The draft has not reached Rust (the idle flush is 400 ms away) when the file changes.
    backend.changeOnDisk(1, ['One.', 'Two, as they changed it.', 'Three.']);
    const alert = await screen.findByText(/cue 2 also changed on disk while you were typing/);
    expect(alert).toBeInTheDocument();
    expect(box).toHaveValue('Two, as I typed it.');
    await fireEvent.blur(box);
    await waitFor(() => expect(backend.textsOf(PATH)[1]).toBe('Two, as I typed it.'));
    // Theirs is one undo away.
    await fireEvent.keyDown(box, { key: 'z', code: 'KeyZ', ctrlKey: true });
    await waitFor(() => expect(backend.textsOf(PATH)[1]).toBe('Two, as they changed it.'));
  });

  it('a reload of other cues leaves the draft alone and quiet', async () => {
    const backend = await start();
    const box = screen.getAllByLabelText('Cue text')[1];
    await fireEvent.input(box, { target: { value: 'Two!' } });
    backend.changeOnDisk(1, ['One, theirs.', 'Two.', 'Three.']);
    await screen.findByRole('status', { name: 'Notice' });
    await fireEvent.blur(box);
    await waitFor(() => expect(backend.textsOf(PATH)).toEqual(['One, theirs.', 'Two!', 'Three.']));
    expect(screen.queryByText(/while you were typing/)).toBeNull();
  });
});

describe('file deleted or moved away', () => {
  it('offers Save As, which writes the edits to a new file and clears the notice', async () => {
    const backend = await start();
    await typeInto(0, 'Kept.', backend);
    backend.emitChanged({ docId: 1, kind: 'deleted', message: 'The file was deleted or moved away. Your edits are kept here: use Save As to put them in a file.', saveStatus: 'unsaved' });
    const banner = (await screen.findByRole('button', { name: 'Save As…' })).closest('[role="alert"]') as HTMLElement;
    expect(banner).toHaveTextContent(/deleted or moved away/);
    backend.pickedSavePath = '/fake/elsewhere/episode.vtt';
    await fireEvent.click(within(banner).getByRole('button', { name: 'Save As…' }));
    await waitFor(() => expect(backend.calls).toContain(`saveDocumentAs ${JSON.stringify([1, '/fake/elsewhere/episode.vtt'])}`));
    expect(backend.calls).toContain(`pickSavePath ${PATH}`);
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Save As…' })).toBeNull());
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('episode.vtt');
    expect(screen.getByLabelText('Save status')).toHaveTextContent(/^Saved$/);
  });

  it('Ctrl+Shift+S is Save As; a cancelled dialog changes nothing', async () => {
    const backend = await start();
    const box = screen.getAllByLabelText('Cue text')[0];
    await fireEvent.keyDown(box, { key: 'S', code: 'KeyS', ctrlKey: true, shiftKey: true });
    await waitFor(() => expect(backend.calls).toContain(`pickSavePath ${PATH}`));
    expect(backend.calls.some((c) => c.startsWith('saveDocumentAs'))).toBe(false);
  });
});
