import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../src/App.svelte';
import { FakeBackend, makeDocument } from '../src/fake/backend';
import type { FlagDto } from '../src/lib/ipc/backend';
import { segmentsOf, validFlags } from '../src/lib/components/segments';
import { row } from './rows';

const flag = (text: string, start: number, kind: FlagDto['kind'] = 'spelling'): FlagDto => ({
  kind,
  startUtf16: start,
  endUtf16: start + text.length,
  text,
  suggestions: [],
});

describe('segments: find hits and flags over one text', () => {
  it('cuts at every boundary and keeps a flag across a hit', () => {
    const text = 'use Langchain now';
    const f = [flag('Langchain', 4)];
    const segs = segmentsOf(text, [{ start: 0, end: 8, current: true }], f);
    expect(segs.map((s) => [s.text, s.mark, s.flag])).toEqual([
      ['use ', 2, null],
      ['Lang', 2, 'spelling'],
      ['chain', 0, 'spelling'],
      [' now', 0, null],
    ]);
    expect(segs.map((s) => s.text).join('')).toBe(text);
  });

  it('draws a flag only while the text under it is the text it was made for', () => {
    const f = [flag('teh', 0), flag('Cloud Code', 8, 'sounds-like')];
    expect(validFlags('teh and Cloud Code', f)).toHaveLength(2);
    // typed in front of the flags: both shifted, both hidden until Rust answers
    expect(validFlags('So teh and Cloud Code', f)).toHaveLength(0);
    // typed after the first: it still holds
    expect(validFlags('teh and Clod Code', f).map((x) => x.text)).toEqual(['teh']);
  });
});

const field = (index: number) => within(row(index)).getByLabelText('Cue text') as HTMLTextAreaElement;
const underlines = (index: number) => [...row(index).querySelectorAll('.mirror .flag')].map((e) => e.textContent);

async function setup(texts: string[]) {
  const backend = new FakeBackend([makeDocument(texts, { path: '/data/ep.vtt' })]);
  backend.misspelled.set('teh', ['the', 'tea']);
  render(App, { backend });
  await screen.findByRole('list', { name: 'Cues' });
  return backend;
}

describe('flags in the window', () => {
  it('come after the first paint, underline the word, and Ctrl+. fixes it as one edit', async () => {
    const backend = await setup(['teh start', 'all fine', 'and teh end']);
    await waitFor(() => expect(underlines(0)).toEqual(['teh']));
    expect(underlines(2)).toEqual(['teh']);
    expect(field(0).getAttribute('spellcheck')).toBe('false');
    // asked once from 0, after the view was there
    const firstFlags = backend.calls.indexOf('reviewFlags 0');
    expect(firstFlags).toBeGreaterThan(-1);

    field(2).focus();
    field(2).setSelectionRange(5, 5);
    fireEvent.keyDown(field(2), { key: '.', code: 'Period', ctrlKey: true });
    const menu = await screen.findByRole('menu');
    const items = within(menu).getAllByRole('menuitem').map((b) => b.textContent?.trim());
    expect(items.slice(0, 2)).toEqual(['the', 'tea']);
    fireEvent.click(within(menu).getByRole('menuitem', { name: 'the' }));
    await waitFor(() => expect(field(2).value).toBe('and the end'));
    expect(backend.edits.at(-1)).toEqual([{ op: 'set_text', cue: 2, text: 'and the end' }]);
    await waitFor(() => expect(underlines(2)).toEqual([]));
    expect(underlines(0)).toEqual(['teh']);
  });

  it('Alt+PageDown and Alt+PageUp select the next and previous flag', async () => {
    await setup(['teh one', 'fine', 'two teh and teh']);
    await waitFor(() => expect(underlines(2)).toEqual(['teh', 'teh']));
    field(0).focus();
    field(0).setSelectionRange(0, 0);
    const sel = () => {
      const el = document.activeElement as HTMLTextAreaElement;
      return [el.closest('[role="listitem"]')?.getAttribute('data-cue-index'), el.selectionStart, el.selectionEnd];
    };
    fireEvent.keyDown(field(0), { key: 'PageDown', altKey: true });
    await waitFor(() => expect(sel()).toEqual(['2', 4, 7]));
    fireEvent.keyDown(document.activeElement!, { key: 'PageDown', altKey: true });
    await waitFor(() => expect(sel()).toEqual(['2', 12, 15]));
    fireEvent.keyDown(document.activeElement!, { key: 'PageUp', altKey: true });
    await waitFor(() => expect(sel()).toEqual(['2', 4, 7]));
    fireEvent.keyDown(document.activeElement!, { key: 'PageUp', altKey: true });
    await waitFor(() => expect(sel()).toEqual(['0', 0, 3]));
  });

  it('Ignore all and Add to my words go to Rust and the underline goes', async () => {
    const backend = await setup(['teh', 'fine']);
    await waitFor(() => expect(underlines(0)).toEqual(['teh']));
    field(0).focus();
    field(0).setSelectionRange(1, 1);
    fireEvent.keyDown(field(0), { key: '.', code: 'Period', ctrlKey: true });
    const menu = await screen.findByRole('menu');
    expect(within(menu).getByRole('menuitem', { name: 'Add to project words' })).toBeDisabled();
    fireEvent.click(within(menu).getByRole('menuitem', { name: 'Ignore all (this session)' }));
    await waitFor(() => expect(underlines(0)).toEqual([]));
    expect(backend.calls).toContain('ignoreFlagged teh');
  });
});
