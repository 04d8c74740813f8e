import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../src/App.svelte';
import type { FolderView } from '../src/lib/ipc/backend';
import { FakeBackend, makeDocument } from '../src/fake/backend';

const ROOT = '/proj';
const A_VTT = '/proj/a.vtt';
const A_TXT = '/proj/a.txt';
const B_VTT = '/proj/b.vtt';
const C_VTT = '/proj/sub/c.vtt';
const A_TEXTS = ['I am here with Matt McKay.', 'So, Matt McKay, welcome.', 'Nothing here.'];
const B_TEXTS = ['Matt McKay again.', 'A mattress.'];

const FOLDER: FolderView = {
  root: ROOT,
  episodes: [
    { name: 'a', files: [{ path: A_VTT, format: 'vtt' }, { path: A_TXT, format: 'txt' }] },
    { name: 'b', files: [{ path: B_VTT, format: 'vtt' }] },
  ],
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setup(prepare: (b: FakeBackend) => void = () => {}) {
  const backend = new FakeBackend(
    [
      makeDocument(A_TEXTS, { path: A_VTT }),
      makeDocument(A_TEXTS, { path: A_TXT, format: 'txt' }),
      makeDocument(B_TEXTS, {
        path: B_VTT,
        diagnostics: [{ severity: 'warning', line: 3, message: 'cue overlaps the previous cue', cueIndex: 0, source: null }],
      }),
      makeDocument(['Other words.'], { path: C_VTT }),
    ],
    A_VTT,
  );
  backend.initialFolderView = FOLDER;
  prepare(backend);
  render(App, { backend });
  await screen.findByRole('list', { name: 'Cues' });
  await waitFor(() => expect(backend.calls).toContain(`openProject ${ROOT}`));
  return backend;
}

/** Dispatches a keydown; returns false when a handler prevented the default. */
function key(el: Element, init: KeyboardEventInit & { key: string }) {
  return el.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
}

const row = (index: number) => document.querySelector<HTMLElement>(`[role="listitem"][data-cue-index="${index}"]`) as HTMLElement;
const cueText = (index: number) => within(row(index)).getByLabelText('Cue text') as HTMLTextAreaElement;
const searchField = () => screen.getByLabelText('Search project') as HTMLInputElement;
const replaceField = () => screen.getByLabelText('Replace with') as HTMLInputElement;
const results = () => screen.getByRole('list', { name: 'Search results' });
const hit = (path: string, cue: number) =>
  results().querySelector<HTMLElement>(`[data-hit][data-path="${path}"][data-cue-index="${cue}"]`) as HTMLElement;
const include = (el: HTMLElement) => el.querySelector<HTMLInputElement>(':scope > .hit-row > input[aria-label="Include hit"]') as HTMLInputElement;

async function openPanel() {
  key(cueText(0), { key: 'F', code: 'KeyF', ctrlKey: true, shiftKey: true });
  await waitFor(() => expect(searchField()).toHaveFocus());
}

async function search(pattern: string) {
  fireEvent.input(searchField(), { target: { value: pattern } });
}

async function preview(pattern: string, replacement: string) {
  await search(pattern);
  fireEvent.input(replaceField(), { target: { value: replacement } });
  await waitFor(() => expect(results().querySelector('input[aria-label="Include hit"]')).not.toBeNull());
}

describe('project search panel', () => {
  it('Ctrl+Shift+F opens the panel over the sidebar and focuses "Search project"; Esc closes it', async () => {
    await setup();
    expect(screen.getByRole('navigation', { name: 'Files' })).toBeInTheDocument();
    await openPanel();
    expect(screen.getByRole('complementary', { name: 'Project search' })).toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: 'Files' })).toBeNull();
    expect(screen.getByText(/proj · 4 files/)).toBeInTheDocument();
    key(searchField(), { key: 'Escape', code: 'Escape' });
    await waitFor(() => expect(screen.queryByLabelText('Search project')).toBeNull());
    expect(screen.getByRole('navigation', { name: 'Files' })).toBeInTheDocument();
  });

  it('shows results as you type, grouped by file, with cue times, context and data hooks', async () => {
    const backend = await setup();
    await openPanel();
    await search('Matt McKay');
    await waitFor(() => expect(screen.getByText('5 results in 3 files')).toBeInTheDocument());
    const groups = within(results()).getAllByRole('listitem').filter((li) => li.classList.contains('file-group'));
    expect(groups.map((g) => g.querySelector('.rel')?.textContent)).toEqual(['a.txt', 'a.vtt', 'b.vtt']);
    expect(groups.map((g) => g.querySelector('.count')?.textContent)).toEqual(['2', '2', '1']);
    const h = hit(A_VTT, 1);
    expect(h).toHaveTextContent('00:00:04');
    expect(h.querySelector('mark')).toHaveTextContent('Matt McKay');
    expect(h).toHaveTextContent('So, Matt McKay, welcome.');
    expect(results().querySelectorAll('[data-hit]')).toHaveLength(5);
    // One generation per query, increasing.
    expect(backend.searches.length).toBeGreaterThan(0);
    expect([...backend.searches].sort((x, y) => x - y)).toEqual(backend.searches);
  });

  it('says "at least" when counting stopped early, and "No results" when there are none', async () => {
    await setup((b) => {
      b.searchLimits = { maxHits: 2000, maxCount: 3 };
    });
    await openPanel();
    await search('Matt');
    await waitFor(() => expect(screen.getByText('at least 3 results in 2 files')).toBeInTheDocument());
    await search('Nowhere to be found');
    await waitFor(() => expect(screen.getByText('No results in 4 files.')).toBeInTheDocument());
  });

  it('applies Match case, Whole word and Regex', async () => {
    await setup();
    await openPanel();
    await search('matt');
    await waitFor(() => expect(screen.getByText('6 results in 3 files')).toBeInTheDocument());
    await fireEvent.click(screen.getByLabelText('Whole word'));
    await waitFor(() => expect(screen.getByText('5 results in 3 files')).toBeInTheDocument());
    await fireEvent.click(screen.getByLabelText('Whole word'));
    await fireEvent.click(screen.getByLabelText('Match case'));
    await waitFor(() => expect(screen.getByText('1 result in 1 file')).toBeInTheDocument());
    expect(hit(B_VTT, 1)).toHaveTextContent('A mattress.');
    await fireEvent.click(screen.getByLabelText('Match case'));
    await fireEvent.click(screen.getByLabelText('Regex'));
    await search('Mc[KX]ay|mattr');
    await waitFor(() => expect(screen.getByText('6 results in 3 files')).toBeInTheDocument());
  });

  it('opens a hit: the file, the cue with the hit selected, the playhead at the cue', async () => {
    const backend = await setup((b) => b.audioBeside.set(B_VTT, '/proj/b.mp3'));
    await openPanel();
    await search('McKay');
    await waitFor(() => expect(hit(B_VTT, 0)).not.toBeNull());
    // In the shown document: the cue is focused with the hit selected.
    await fireEvent.click(hit(A_VTT, 1));
    await waitFor(() => expect(cueText(1)).toHaveFocus());
    expect([cueText(1).selectionStart, cueText(1).selectionEnd]).toEqual([9, 14]);
    // In another file: it opens, and with audio the player seeks to the cue.
    await fireEvent.click(hit(B_VTT, 0));
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('b.vtt'));
    await waitFor(() => expect(cueText(0)).toHaveFocus());
    expect([cueText(0).selectionStart, cueText(0).selectionEnd]).toEqual([5, 10]);
    await waitFor(() => expect(backend.calls).toContain('playback {"op":"seek","ms":0,"play":false}'));
  });

  it('moves between hits with the arrow keys and opens one with Enter', async () => {
    await setup();
    await openPanel();
    await search('Matt McKay');
    await waitFor(() => expect(results().querySelectorAll('[data-hit]')).toHaveLength(5));
    key(searchField(), { key: 'ArrowDown', code: 'ArrowDown' });
    expect(hit(A_TXT, 0)).toHaveFocus();
    key(hit(A_TXT, 0), { key: 'ArrowDown', code: 'ArrowDown' });
    key(hit(A_TXT, 1), { key: 'ArrowDown', code: 'ArrowDown' });
    expect(hit(A_VTT, 0)).toHaveFocus();
    key(hit(A_VTT, 0), { key: 'ArrowDown', code: 'ArrowDown' });
    key(hit(A_VTT, 1), { key: 'ArrowUp', code: 'ArrowUp' });
    expect(hit(A_VTT, 0)).toHaveFocus();
    key(hit(A_VTT, 0), { key: 'End', code: 'End' });
    expect(hit(B_VTT, 0)).toHaveFocus();
    key(hit(B_VTT, 0), { key: 'Enter', code: 'Enter' });
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('b.vtt'));
    await waitFor(() => expect(cueText(0)).toHaveFocus());
  });

  it('drops answers to older queries', async () => {
    const backend = await setup((b) => {
      b.searchLatency = (p) => (p === 'Matt' ? 150 : 0);
    });
    await openPanel();
    await search('Matt');
    await waitFor(() => expect(backend.searches).toHaveLength(1));
    await search('Nothing');
    await waitFor(() => expect(screen.getByText('2 results in 2 files')).toBeInTheDocument());
    await sleep(250); // the slow answer to "Matt" arrives now, and is not shown
    expect(screen.getByText('2 results in 2 files')).toBeInTheDocument();
    expect(results().querySelectorAll('[data-hit]')).toHaveLength(2);
    expect(backend.searches).toEqual([1, 2]);
  });

  it('shows errors in the panel, never throws', async () => {
    await setup();
    await openPanel();
    await fireEvent.click(screen.getByLabelText('Regex'));
    await search('(unclosed');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/Invalid search/);
    expect(searchField()).toHaveAttribute('aria-invalid', 'true');
  });

  it('without a project, says how to open one', async () => {
    const backend = new FakeBackend([makeDocument(A_TEXTS, { path: A_VTT })], A_VTT);
    render(App, { backend });
    await screen.findByRole('list', { name: 'Cues' });
    await openPanel();
    expect(screen.getByText(/No folder is open as a project/)).toBeInTheDocument();
    await search('Matt');
    expect(await screen.findByRole('alert')).toHaveTextContent('open one with Ctrl+Shift+O');
    backend.folders.set(ROOT, FOLDER);
    await fireEvent.click(screen.getByRole('button', { name: "Open this file's folder" }));
    await waitFor(() => expect(backend.calls).toContain(`openProject ${ROOT}`));
    await waitFor(() => expect(screen.queryByText(/No folder is open as a project/)).toBeNull());
  });
});

describe('replace across the project', () => {
  it('previews every hit with before and after, pairs together, files open in an editor marked', async () => {
    await setup();
    await openPanel();
    await preview('Matt McKay', 'Matt Makai');
    expect(screen.getByText('5 results in 3 files')).toBeInTheDocument();
    const h = hit(A_VTT, 1);
    expect(h.querySelector('del')).toHaveTextContent('Matt McKay');
    expect(h.querySelector('ins')).toHaveTextContent('Matt Makai');
    expect(h.querySelector('.line.before')).toHaveTextContent('So, Matt McKay, welcome.');
    expect(h.querySelector('.line.after')).toHaveTextContent('So, Matt Makai, welcome.');
    // The .txt side of the pair is shown under its .vtt hit.
    const partner = hit(A_TXT, 1);
    expect(h.nextElementSibling).toBe(partner);
    expect(partner.classList.contains('partner')).toBe(true);
    expect(partner).toHaveTextContent('a.txt');
    // a.vtt is the document open in the window: its part goes through the editor.
    const groups = within(results()).getAllByRole('listitem').filter((li) => li.classList.contains('file-group'));
    const aVtt = groups.find((g) => g.querySelector('.rel')?.textContent === 'a.vtt') as HTMLElement;
    expect(aVtt).toHaveTextContent('open — changes go to the editor');
    const aTxt = groups.find((g) => g.querySelector('.rel')?.textContent === 'a.txt') as HTMLElement;
    expect(aTxt).toHaveTextContent('shown with their pairs');
    expect(aTxt.querySelector('[data-hit]')).toBeNull();
  });

  it('applies with one hit excluded (its pair with it), with progress, then one undo restores', async () => {
    const backend = await setup();
    await openPanel();
    await preview('Matt McKay', 'Matt Makai');
    await fireEvent.click(include(hit(A_VTT, 1)));
    await waitFor(() => expect(include(hit(A_TXT, 1)).checked).toBe(false));
    expect(include(hit(A_VTT, 1)).checked).toBe(false);
    expect(backend.calls).toContain('setPlanIncluded [1,{"kind":"hit","id":[1,1]},false]');
    expect(screen.getByText('3 to replace in 3 files')).toBeInTheDocument();

    backend.latencyMs = 30;
    await fireEvent.click(screen.getByRole('button', { name: 'Replace all' }));
    const bar = await screen.findByRole('progressbar', { name: 'Replacing' });
    expect(bar).toHaveAttribute('aria-valuemax', '3');
    await waitFor(() => expect(screen.getByText('Replaced 3 in 3 files. Open documents got their part as an edit.')).toBeInTheDocument());
    expect(screen.queryByRole('progressbar', { name: 'Replacing' })).toBeNull();
    backend.latencyMs = 0;

    expect(backend.textsOf(A_VTT)).toEqual(['I am here with Matt Makai.', 'So, Matt McKay, welcome.', 'Nothing here.']);
    expect(backend.textsOf(A_TXT)).toEqual(['I am here with Matt Makai.', 'So, Matt McKay, welcome.', 'Nothing here.']);
    expect(backend.textsOf(B_VTT)).toEqual(['Matt Makai again.', 'A mattress.']);
    // The open document shows the change.
    await waitFor(() => expect(cueText(0).value).toBe('I am here with Matt Makai.'));
    // What is left is previewed again: the hit and its pair that were excluded.
    await waitFor(() => expect(screen.getByText('2 results in 2 files')).toBeInTheDocument());

    await fireEvent.click(screen.getByRole('button', { name: 'Undo replace' }));
    await waitFor(() => expect(screen.getByText('Undone in 3 files.')).toBeInTheDocument());
    expect(backend.textsOf(A_VTT)).toEqual(A_TEXTS);
    expect(backend.textsOf(A_TXT)).toEqual(A_TEXTS);
    expect(backend.textsOf(B_VTT)).toEqual(B_TEXTS);
    await waitFor(() => expect(cueText(0).value).toBe('I am here with Matt McKay.'));
    expect(screen.queryByRole('button', { name: 'Undo replace' })).toBeNull();
  });

  it('a whole file can be excluded; Ctrl+Z in the panel undoes the replace', async () => {
    const backend = await setup();
    await openPanel();
    await preview('Matt McKay', 'Matt Makai');
    await fireEvent.click(screen.getByLabelText('Include file b.vtt'));
    await waitFor(() => expect(screen.getByText('4 to replace in 2 files')).toBeInTheDocument());
    await fireEvent.click(screen.getByRole('button', { name: 'Replace all' }));
    await waitFor(() => expect(screen.getByText(/Replaced 4 in 2 files/)).toBeInTheDocument());
    expect(backend.textsOf(B_VTT)).toEqual(B_TEXTS);
    expect(backend.textsOf(A_TXT)[1]).toBe('So, Matt Makai, welcome.');
    searchField().focus();
    const notPrevented = key(searchField(), { key: 'z', code: 'KeyZ', ctrlKey: true });
    expect(notPrevented).toBe(false);
    await waitFor(() => expect(backend.calls).toContain('undoProjectReplace'));
    await waitFor(() => expect(backend.textsOf(A_TXT)).toEqual(A_TEXTS));
    // The document's own history was not touched by that Ctrl+Z.
    expect(backend.calls.filter((c) => c === 'undo')).toHaveLength(0);
  });

  it('says why nothing was replaced when a file changed since the preview', async () => {
    const backend = await setup();
    await openPanel();
    await preview('Matt McKay', 'Matt Makai');
    backend.files.set(B_VTT, makeDocument(['Matt McKay, changed elsewhere.', 'A mattress.'], { path: B_VTT }));
    await fireEvent.click(screen.getByRole('button', { name: 'Replace all' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Nothing was replaced');
    expect(backend.textsOf(A_TXT)).toEqual(A_TEXTS);
  });

  it('marks a preview stale when files change on disk', async () => {
    const backend = await setup();
    await openPanel();
    await preview('Matt McKay', 'Matt Makai');
    backend.emitProjectChanged([B_VTT]);
    await fireEvent.click(await screen.findByRole('button', { name: 'Refresh preview' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Refresh preview' })).toBeNull());
    expect(backend.calls.filter((c) => c.startsWith('planProjectReplace'))).toHaveLength(2);
  });
});

describe('glossary', () => {
  it('lists every glossary hit to accept or skip, and applies the accepted ones', async () => {
    const backend = await setup((b) => {
      b.glossary = [{ from: 'Matt McKay', to: 'Matt Makai' }];
    });
    await openPanel();
    await fireEvent.click(screen.getByRole('tab', { name: 'Glossary' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Check glossary' }));
    const list = await screen.findByRole('list', { name: 'Glossary hits' });
    expect(screen.getByText('5 glossary hits in 3 files · 5 accepted')).toBeInTheDocument();
    const b = list.querySelector<HTMLElement>(`[data-path="${B_VTT}"][data-cue-index="0"]`) as HTMLElement;
    expect(b).toHaveTextContent('Matt McKay → Matt Makai');
    await fireEvent.click(within(b).getByLabelText('Accept fix'));
    await waitFor(() => expect(screen.getByText('5 glossary hits in 3 files · 4 accepted')).toBeInTheDocument());
    await fireEvent.click(screen.getByRole('button', { name: 'Apply accepted' }));
    await waitFor(() => expect(screen.getByText(/Replaced 4 in 2 files/)).toBeInTheDocument());
    expect(backend.textsOf(B_VTT)).toEqual(B_TEXTS);
    expect(backend.textsOf(A_TXT)).toEqual(['I am here with Matt Makai.', 'So, Matt Makai, welcome.', 'Nothing here.']);
  });

  it('shows why a bad glossary cannot be read', async () => {
    await setup((b) => {
      b.glossary = '.cueline/glossary.toml:3: expected `=` after a key';
    });
    await openPanel();
    await fireEvent.click(screen.getByRole('tab', { name: 'Glossary' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Check glossary' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('expected `=` after a key');
  });

  it('is disabled without a glossary', async () => {
    await setup();
    await openPanel();
    expect(screen.getByRole('tab', { name: 'Glossary' })).toBeDisabled();
  });
});

describe('the folder as a project', () => {
  it('marks files in the sidebar: diagnostics, unsaved changes', async () => {
    await setup();
    const b = screen.getByRole('button', { name: 'Open b.vtt' });
    await waitFor(() => expect(b).toHaveAttribute('data-diagnostics', 'warning'));
    expect(b.title).toContain('1 warning');
    const a = screen.getByRole('button', { name: 'Open a.vtt' });
    expect(a).not.toHaveAttribute('data-modified');
    cueText(0).focus();
    fireEvent.input(cueText(0), { target: { value: 'Edited.' } });
    fireEvent.blur(cueText(0));
    await waitFor(() => expect(a).toHaveAttribute('data-modified', 'true'), { timeout: 2000 });
  });

  it("lists each episode's audio with its transcripts", async () => {
    await setup((b) => {
      b.audioBeside.set(A_VTT, '/proj/a.mp3');
      b.audioBeside.set(A_TXT, '/proj/a.mp3');
    });
    const audio = await screen.findByLabelText('Audio a.mp3');
    expect(audio).toHaveTextContent('mp3');
    expect(audio.title).toBe('Audio: /proj/a.mp3');
    expect(screen.queryByLabelText('Audio b.mp3')).toBeNull();
  });

  it('says "Indexing…" while the project opens', async () => {
    await setup((b) => {
      b.latencyMs = 40;
    });
    // setup waited for the call; the answer is still on its way.
    expect(screen.getByText(/Indexing…/)).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText(/Indexing…/)).toBeNull());
  });
});
