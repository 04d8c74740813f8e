import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../src/App.svelte';
import { FakeBackend, makeDocument } from '../src/fake/backend';
import { checkedLabel } from '../src/lib/state/progress.svelte';
import { row, text } from './rows';

const PATH = '/data/episode.vtt';

async function setup(texts: string[]) {
  const backend = new FakeBackend([makeDocument(texts, { path: PATH })]);
  render(App, { backend });
  await screen.findByRole('list', { name: 'Cues' });
  return backend;
}

const markOf = (index: number) => row(index).querySelector('[data-review]')?.getAttribute('data-review');
const header = () => screen.getByRole('progressbar', { name: 'Review progress' });

function key(el: Element, init: KeyboardEventInit & { key: string }) {
  return el.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
}

describe('review progress', () => {
  it('counts like people write numbers', () => {
    expect(checkedLabel(412, 1433)).toBe('412 of 1,433 checked');
    expect(checkedLabel(0, 5)).toBe('0 of 5 checked');
  });

  it('Ctrl+K checks the current cue, the header count moves, and again makes it listened', async () => {
    await setup(['One.', 'Two.', 'Three.']);
    await waitFor(() => expect(header()).toHaveAttribute('aria-valuetext', '0 of 3 checked'));
    expect(markOf(1)).toBe('unreviewed');
    text(1).focus();
    key(text(1), { key: 'k', code: 'KeyK', ctrlKey: true });
    await waitFor(() => expect(markOf(1)).toBe('checked'));
    expect(header()).toHaveAttribute('aria-valuetext', '1 of 3 checked');
    expect(within(header()).getByText('1 of 3 checked')).toBeInTheDocument();
    key(text(1), { key: 'k', code: 'KeyK', ctrlKey: true });
    await waitFor(() => expect(markOf(1)).toBe('listened'));
    expect(header()).toHaveAttribute('aria-valuetext', '0 of 3 checked');
  });

  it('an edit turns a checked cue into a listened one and leaves the others', async () => {
    await setup(['One.', 'Two.', 'Three.']);
    text(0).focus();
    key(text(0), { key: 'k', code: 'KeyK', ctrlKey: true });
    await waitFor(() => expect(markOf(0)).toBe('checked'));
    text(2).focus();
    key(text(2), { key: 'k', code: 'KeyK', ctrlKey: true });
    await waitFor(() => expect(markOf(2)).toBe('checked'));
    text(0).focus();
    fireEvent.input(text(0), { target: { value: 'One, edited.' } });
    fireEvent.blur(text(0));
    await waitFor(() => expect(markOf(0)).toBe('listened'));
    expect(markOf(2)).toBe('checked');
  });

  it('Alt+Shift+PageDown goes to the next cue not checked, PageUp back, wrapping', async () => {
    const backend = await setup(['A.', 'B.', 'C.', 'D.']);
    const cues = backend.textsOf(PATH);
    expect(cues).toHaveLength(4);
    for (const i of [1, 2]) {
      text(i).focus();
      key(text(i), { key: 'k', code: 'KeyK', ctrlKey: true });
      await waitFor(() => expect(markOf(i)).toBe('checked'));
    }
    text(0).focus();
    key(text(0), { key: 'PageDown', code: 'PageDown', altKey: true, shiftKey: true });
    await waitFor(() => expect(document.activeElement).toBe(text(3)));
    key(text(3), { key: 'PageDown', code: 'PageDown', altKey: true, shiftKey: true });
    await waitFor(() => expect(document.activeElement).toBe(text(0)));
    key(text(0), { key: 'PageUp', code: 'PageUp', altKey: true, shiftKey: true });
    await waitFor(() => expect(document.activeElement).toBe(text(3)));
  });

  it('Ctrl+K is rebindable: the new chord checks, the old one is free', async () => {
    const backend = new FakeBackend([makeDocument(['One.', 'Two.'], { path: PATH })]);
    backend.settings = { ...backend.settings, keyBindings: { 'toggle-checked': ['Ctrl+Alt+K'] } };
    render(App, { backend });
    await screen.findByRole('list', { name: 'Cues' });
    await waitFor(() => expect(header()).toBeInTheDocument());
    text(0).focus();
    expect(key(text(0), { key: 'k', code: 'KeyK', ctrlKey: true })).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(markOf(0)).toBe('unreviewed');
    expect(key(text(0), { key: 'k', code: 'KeyK', ctrlKey: true, altKey: true })).toBe(false);
    await waitFor(() => expect(markOf(0)).toBe('checked'));
  });

  it('a cue played through (ProgressChanged) shows as listened', async () => {
    const backend = await setup(['One.', 'Two.']);
    await waitFor(() => expect(header()).toBeInTheDocument());
    backend.emitListened(PATH, 1);
    await waitFor(() => expect(markOf(1)).toBe('listened'));
    expect(header()).toHaveAttribute('aria-valuetext', '0 of 2 checked');
  });
});
