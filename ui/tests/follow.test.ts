// Follow-along against FakeBackend: the cue under the playhead carries aria-current and is
// scrolled into view while playing, but not while the user is scrolling the list or typing.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeAll, describe, expect, it } from 'vitest';
import App from '../src/App.svelte';
import { FakeBackend, makeDocument } from '../src/fake/backend';

const PATH = '/data/long.vtt';

beforeAll(() => {
  HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement['getContext'];
});

/** A 200-cue document (cue i runs from i*4 s to i*4+3.5 s) with audio beside it, playing. */
async function playing() {
  const texts = Array.from({ length: 200 }, (_, i) => `Cue number ${i}.`);
  const backend = new FakeBackend([makeDocument(texts, { path: PATH })]);
  backend.audioBeside.set(PATH, '/data/long.mp3');
  backend.audioDurations.set('/data/long.mp3', 900_000);
  render(App, { backend });
  await screen.findByRole('list', { name: 'Cues' });
  await fireEvent.click(await screen.findByRole('button', { name: 'Play' }));
  await screen.findByRole('button', { name: 'Pause' });
  const viewport = screen.getByRole('list', { name: 'Cues' }).parentElement as HTMLElement;
  return { backend, viewport };
}

const current = () => document.querySelector('[role="listitem"][aria-current="true"]') as HTMLElement | null;

describe('follow-along', () => {
  it('marks the playing cue and scrolls it into view', async () => {
    const { backend, viewport } = await playing();
    await waitFor(() => expect(current()?.dataset.cueIndex).toBe('0'));
    backend.advance(150 * 4000 + 100); // into cue 150
    await waitFor(() => expect(viewport.scrollTop).toBeGreaterThan(1000));
    await waitFor(() => expect(current()?.dataset.cueIndex).toBe('150'));
    // In the gap between two cues nothing is current.
    backend.advance(3600);
    await waitFor(() => expect(current()).toBeNull());
  });

  it('does not pull the list back while the user scrolls it', async () => {
    const { backend, viewport } = await playing();
    await fireEvent.wheel(viewport, { deltaY: 300 });
    viewport.scrollTop = 120;
    await fireEvent.scroll(viewport);
    backend.advance(150 * 4000 + 100);
    // The highlight moves (the row is not in the DOM: the list is windowed), the list stays.
    await new Promise((r) => setTimeout(r, 100));
    expect(viewport.scrollTop).toBe(120);
  });

  it('does not pull the list away while the user types', async () => {
    const { backend, viewport } = await playing();
    const box = screen.getAllByLabelText('Cue text')[2];
    box.focus();
    await fireEvent.keyDown(box, { key: 'a', code: 'KeyA' });
    await fireEvent.input(box, { target: { value: 'Cue number 2.a' } });
    const before = viewport.scrollTop;
    backend.advance(150 * 4000 + 100);
    await new Promise((r) => setTimeout(r, 100));
    expect(viewport.scrollTop).toBe(before);
  });
});

describe('speed keys', () => {
  it('F4 pressed faster than the backend answers raises the speed once per press', async () => {
    const { backend } = await playing();
    backend.latencyMs = 40;
    const field = document.querySelector('[aria-label="Cue text"]') as HTMLElement;
    for (let i = 0; i < 3; i++) fireEvent.keyDown(field, { key: 'F4' });
    await waitFor(() => expect(backend.playbackNow.speedPercent).toBe(130), { timeout: 2000 });
    const sent = backend.calls.filter((c) => c.startsWith('playback {"op":"speed"'));
    expect(sent).toEqual([
      'playback {"op":"speed","percent":110}',
      'playback {"op":"speed","percent":120}',
      'playback {"op":"speed","percent":130}',
    ]);
  });
});
