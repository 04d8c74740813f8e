// The git features in the window (issue 14), against the fake backend's "last commit": marks
// that follow edits and undo, the look at a change with Revert, Next/Previous change, the commit
// dialog (the episode's pair chosen together, a refusing hook's output shown), and nothing at all
// where git features are hidden. The pure helpers (grouping, next change) are tested directly.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../src/App.svelte';
import { FakeBackend, makeDocument } from '../src/fake/backend';
import { compareCues, headOf } from '../src/fake/git';
import type { GitFileDto, GitMarkDto } from '../src/lib/ipc/backend';
import { episodesOf, nextChangeAt } from '../src/lib/state/git.svelte';
import { row, text } from './rows';

const PATH = '/fake/episode.vtt';
const TXT = '/fake/episode.txt';
const TEXTS = ['Welcome, Matt McKay.', 'We use Cloud Code.', 'Third cue.', 'The end.'];

async function setup(git = true) {
  const vtt = makeDocument(TEXTS, { path: PATH });
  const txt = makeDocument(TEXTS, { path: TXT, format: 'txt' });
  const backend = new FakeBackend([vtt, txt]);
  if (git) {
    backend.gitHeads.set(PATH, headOf(vtt.cues));
    backend.gitHeads.set(TXT, headOf(txt.cues));
  }
  render(App, { backend });
  await screen.findByRole('list', { name: 'Cues' });
  return backend;
}

const marks = () =>
  [...document.querySelectorAll<HTMLElement>('[data-git-mark]')].map((m) => [
    Number(m.closest<HTMLElement>('[role="listitem"]')?.dataset.cueIndex),
    m.dataset.gitMark,
  ]);
const summary = () => document.querySelector('[aria-label="Changes since the last commit"] .count')?.textContent ?? '';

function type(el: HTMLTextAreaElement, value: string) {
  el.focus();
  fireEvent.input(el, { target: { value } });
  fireEvent.blur(el);
}

describe('change marks', () => {
  it('mark exactly the edited cues and follow undo', async () => {
    const backend = await setup();
    await waitFor(() => expect(summary()).toBe('No changes since the last commit'));
    type(text(1), 'We use Claude Code.');
    await waitFor(() => expect(marks()).toEqual([[1, 'text']]));
    expect(summary()).toBe('1 cue changed since the last commit');
    await fireEvent.click(within(screen.getByRole('toolbar', { name: 'Editor' })).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(marks()).toEqual([]));
    expect(summary()).toBe('No changes since the last commit');
    expect(backend.calls).toContain('undo');
  });

  it('open the last commit version with words marked, and revert', async () => {
    const backend = await setup();
    type(text(1), 'We use Claude Code.');
    await waitFor(() => expect(marks()).toEqual([[1, 'text']]));
    await fireEvent.click(within(row(1)).getByRole('button', { name: /Text changed since the last commit/ }));
    const look = await within(row(1)).findByRole('region', { name: "Last commit's version" });
    await waitFor(() => expect(look.querySelector('del')?.textContent).toBe('Cloud'));
    expect(look.querySelector('ins')?.textContent).toBe('Claude');
    await fireEvent.click(within(look).getByRole('button', { name: 'Revert to last commit' }));
    await waitFor(() => expect(text(1).value).toBe('We use Cloud Code.'));
    await waitFor(() => expect(marks()).toEqual([]));
    expect(backend.calls.filter((c) => c.startsWith('gitRevertCue'))).toEqual([expect.stringMatching(/,\{"deleted":false,"cue":1\}\]$/)]);
  });

  it('show a deleted cue as a marker between its neighbours', async () => {
    const backend = await setup();
    await waitFor(() => expect(summary()).toBe('No changes since the last commit'));
    fireEvent.focusIn(text(2));
    await fireEvent.click(within(screen.getByRole('toolbar', { name: 'Editor' })).getByRole('button', { name: 'Delete cue' }));
    await waitFor(() => expect(document.querySelectorAll('[data-git-deleted]')).toHaveLength(1));
    const marker = document.querySelector<HTMLElement>('[data-git-deleted]');
    expect(marker?.closest<HTMLElement>('[role="listitem"]')?.dataset.cueIndex).toBe('2');
    expect(summary()).toBe('1 cue changed since the last commit');
    expect(backend.textsOf(PATH)).toHaveLength(3);
  });

  it('Next and Previous change move the focus between changed cues', async () => {
    await setup();
    type(text(0), 'Welcome, Matt Makai.');
    type(text(2), 'Third cue!');
    await waitFor(() => expect(marks()).toEqual([[0, 'text'], [2, 'text']]));
    text(0).focus();
    fireEvent.focusIn(text(0));
    fireEvent.keyDown(text(0), { key: 'PageDown', ctrlKey: true, altKey: true });
    await waitFor(() => expect(document.activeElement).toBe(text(2)));
    fireEvent.keyDown(text(2), { key: 'PageDown', ctrlKey: true, altKey: true });
    await waitFor(() => expect(document.activeElement).toBe(text(0)));
    fireEvent.keyDown(text(0), { key: 'PageUp', ctrlKey: true, altKey: true });
    await waitFor(() => expect(document.activeElement).toBe(text(2)));
  });

  it('Next change is rebindable and listed in the cheat sheet', async () => {
    await setup();
    type(text(0), 'Welcome, Matt Makai.');
    type(text(2), 'Third cue!');
    await waitFor(() => expect(marks()).toEqual([[0, 'text'], [2, 'text']]));
    fireEvent.keyDown(window, { key: '/', ctrlKey: true });
    const sheet = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(sheet).toHaveTextContent('Next change since the last commit');
    expect(sheet).toHaveTextContent('Ctrl+Alt+PageDown');
    fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    fireEvent.keyDown(window, { key: ',', code: 'Comma', ctrlKey: true });
    await screen.findByRole('dialog', { name: 'Settings' });
    const settingsRow = document.querySelector<HTMLElement>('tr[data-command="next-change"]');
    if (!settingsRow) throw new Error('no settings row for next-change');
    await fireEvent.click(within(settingsRow).getByRole('button', { name: 'Add key' }));
    fireEvent.keyDown(document.activeElement ?? window, { key: 'F10' });
    await waitFor(() => expect([...settingsRow.querySelectorAll('kbd')].map((k) => k.textContent)).toEqual(['Ctrl+Alt+PageDown', 'F10']));
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    text(0).focus();
    fireEvent.focusIn(text(0));
    fireEvent.keyDown(text(0), { key: 'F10' });
    await waitFor(() => expect(document.activeElement).toBe(text(2)));
  });

  it('are absent, with no git line, where git features are hidden', async () => {
    const backend = await setup(false);
    type(text(1), 'We use Claude Code.');
    await waitFor(() => expect(backend.textsOf(PATH)[1]).toBe('We use Claude Code.'));
    await waitFor(() => expect(backend.calls.filter((c) => c.startsWith('gitMarks')).length).toBeGreaterThan(1));
    expect(marks()).toEqual([]);
    expect(screen.queryByLabelText('Changes since the last commit')).toBeNull();
  });

  it('say why when git refuses (dubious ownership)', async () => {
    const vtt = makeDocument(TEXTS, { path: PATH });
    const backend = new FakeBackend([vtt]);
    backend.gitRefused = "detected dubious ownership in repository at '/fake'";
    render(App, { backend });
    expect(await screen.findByLabelText('Git')).toHaveTextContent(/dubious ownership/);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('commit dialog', () => {
  it("chooses the episode's pair, leaves the staged file out, and commits exactly those", async () => {
    const backend = await setup();
    backend.gitOtherFiles = [
      {
        path: 'solo.srt',
        absPath: '/fake/solo.srt',
        episode: 'solo',
        staged: true,
        modified: false,
        untracked: false,
        deleted: false,
        transcript: true,
        changedCues: 1,
      },
    ];
    const other = await backend.openDocument(TXT);
    if (other.status !== 'ok') throw new Error('cannot open the .txt');
    await backend.applyEdits(other.data.docId, other.data.revision, [{ op: 'set_text', cue: 0, text: 'Welcome, Matt Makai.' }]);
    type(text(0), 'Welcome, Matt Makai.');
    await waitFor(() => expect(marks()).toEqual([[0, 'text']]));
    await fireEvent.click(screen.getByRole('button', { name: 'Commit…' }));
    const form = await screen.findByRole('form', { name: 'Commit' });
    await waitFor(() => expect(form.querySelectorAll('[data-commit-file]')).toHaveLength(3));
    const box = (p: string) => form.querySelector<HTMLInputElement>(`[data-commit-file="${p}"]`);
    expect([box('episode.txt')?.checked, box('episode.vtt')?.checked, box('solo.srt')?.checked]).toEqual([true, true, false]);
    await waitFor(() => expect(within(form).getByLabelText('Commit message')).toHaveValue('Fix words in episode'));
    await fireEvent.click(within(form).getByRole('button', { name: 'Commit' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Commit' })).toBeNull());
    expect(backend.gitCommits).toEqual([{ paths: ['episode.txt', 'episode.vtt'], message: 'Fix words in episode' }]);
    await waitFor(() => expect(marks()).toEqual([]));
    expect(screen.getByLabelText('Git notice')).toHaveTextContent('Committed 2 files');
  });

  it("shows a refusing hook's output and commits nothing", async () => {
    const backend = await setup();
    type(text(0), 'Welcome, Matt Makai.');
    await waitFor(() => expect(marks()).toEqual([[0, 'text']]));
    backend.gitHookFailure = 'glossary check: "Matt McKay" should be "Matt Makai"';
    await fireEvent.click(screen.getByRole('button', { name: 'Commit…' }));
    const form = await screen.findByRole('form', { name: 'Commit' });
    await waitFor(() => expect(within(form).getByLabelText('Commit message')).not.toHaveValue(''));
    await fireEvent.click(within(form).getByRole('button', { name: 'Commit' }));
    expect(await within(form).findByLabelText('What git said')).toHaveTextContent('should be "Matt Makai"');
    expect(backend.gitCommits).toEqual([]);
    expect(marks()).toEqual([[0, 'text']]);
  });

  it('is disabled with the reason during a merge', async () => {
    const backend = await setup();
    backend.gitBlocked = 'a merge is in progress';
    type(text(0), 'Welcome, Matt Makai.');
    await waitFor(() => expect(marks()).toEqual([[0, 'text']]));
    await fireEvent.click(screen.getByRole('button', { name: 'Commit…' }));
    const form = await screen.findByRole('form', { name: 'Commit' });
    await waitFor(() => expect(form.querySelector('[data-git-blocked]')).not.toBeNull());
    expect(within(form).getByRole('button', { name: 'Commit' })).toBeDisabled();
  });
});

describe('commit dialog warnings', () => {
  it('warns about a detached HEAD', async () => {
    const backend = await setup();
    backend.gitDetached = true;
    type(text(0), 'Welcome, Matt Makai.');
    await waitFor(() => expect(marks()).toEqual([[0, 'text']]));
    await fireEvent.click(screen.getByRole('button', { name: 'Commit…' }));
    const form = await screen.findByRole('form', { name: 'Commit' });
    expect(await within(form).findByText(/HEAD is detached/)).toBeInTheDocument();
    expect(within(form).getByRole('button', { name: 'Commit' })).toBeEnabled();
  });
});

describe('pure helpers', () => {
  const mark = (at: number, kind: GitMarkDto['kind'] = 'text'): GitMarkDto => ({ kind, at, change: { deleted: kind === 'deleted', cue: at } });

  it('next change wraps both ways', () => {
    const m = [mark(2), mark(5, 'deleted'), mark(9)];
    expect(nextChangeAt(m, null, 1)).toBe(2);
    expect(nextChangeAt(m, null, -1)).toBe(9);
    expect(nextChangeAt(m, 2, 1)).toBe(5);
    expect(nextChangeAt(m, 9, 1)).toBe(2);
    expect(nextChangeAt(m, 2, -1)).toBe(9);
    expect(nextChangeAt([], 2, -1)).toBeNull();
  });

  it('groups an episode pair together', () => {
    const f = (path: string): GitFileDto => ({
      path,
      absPath: `/r/${path}`,
      episode: path.replace(/\.[^.]*$/, ''),
      staged: false,
      modified: true,
      untracked: false,
      deleted: false,
      transcript: true,
      changedCues: 1,
    });
    const eps = episodesOf([f('a/064.txt'), f('a/064.vtt'), f('b.srt')]);
    expect(eps.map((e) => [e.episode, e.files.map((x) => x.path)])).toEqual([
      ['a/064', ['a/064.txt', 'a/064.vtt']],
      ['b', ['b.srt']],
    ]);
  });

  it("the fake's comparison agrees with cueline-git on inserts, deletes and retiming", () => {
    const cue = (i: number, text: string, startMs = i * 1000) => ({ id: i, index: i, line: 1, startMs, endMs: startMs + 900, text });
    const head = headOf([cue(0, 'a'), cue(1, 'b'), cue(2, 'c'), cue(3, 'd')]);
    expect(compareCues(head, [cue(0, 'a'), cue(1, 'new', 1500), cue(2, 'b', 1000), cue(3, 'c', 2000), cue(4, 'd', 3000)])).toEqual([
      { kind: 'inserted', before: null, after: 1, at: 1 },
    ]);
    expect(compareCues(head, [cue(0, 'a'), cue(1, 'B', 1200), cue(2, 'd', 3000)])).toEqual([
      { kind: 'text_timing', before: 1, after: 1, at: 1 },
      { kind: 'deleted', before: 2, after: null, at: 2 },
    ]);
  });
});
