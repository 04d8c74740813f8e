// The waveform strip in jsdom: no canvas and no layout here, so the strip is given a width of
// 1000 px (x = ms / 20 at the default zoom from 0) and this checks its states (progress while the
// peaks compute, ready, failed), the zoom, click-to-seek, dragging a boundary, and that playback
// does not flood IPC. Its geometry is tested on its own in waveformGeometry.test.ts.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeAll, describe, expect, it } from 'vitest';
import App from '../src/App.svelte';
import type { EditDto, Result, Unlisten, WaveformDto, WaveformProgress } from '../src/lib/ipc/backend';
import { FakeBackend, makeDocument } from '../src/fake/backend';

const PATH = '/data/episode.vtt';

const WIDTH = 1000;

beforeAll(() => {
  HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement['getContext'];
  // Svelte's bind:clientWidth reads clientWidth when it binds: give the strip its width.
  const base = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth');
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('strip') ? WIDTH : (base?.get?.call(this) ?? 0);
    },
  });
});

/** A backend whose peaks take a while: `computing` until the test says otherwise. */
class SlowPeaks extends FakeBackend {
  peaks: { status: WaveformDto['status']; progress: number; message: string | null } = {
    status: 'computing',
    progress: 40,
    message: null,
  };
  readonly waveformCalls: string[] = [];
  private readonly progress = new Set<(e: WaveformProgress) => void>();

  override async waveform(startMs: number, endMs: number, columns: number): Promise<Result<WaveformDto>> {
    this.waveformCalls.push(`${startMs}..${endMs}/${columns}`);
    if (this.peaks.status === 'ready') return super.waveform(startMs, endMs, columns);
    const { status, progress, message } = this.peaks;
    return { status: 'ok', data: { status, progressPercent: progress, message, startMs, endMs, columns: [] } };
  }
  override async onWaveformProgress(handler: (e: WaveformProgress) => void): Promise<Unlisten> {
    this.progress.add(handler);
    return () => this.progress.delete(handler);
  }
  emitProgress(status: WaveformDto['status'], progressPercent: number) {
    for (const h of this.progress) h({ file: '/fake/a.mp3', status, progressPercent });
  }
}

async function setup(backend: FakeBackend = new SlowPeaks([makeDocument(['One.', 'Two.'], { path: PATH })])) {
  backend.audioBeside.set(PATH, '/fake/a.mp3');
  render(App, { backend });
  await screen.findByRole('list', { name: 'Cues' });
  return screen.findByRole('group', { name: 'Waveform' });
}

describe('waveform strip', () => {
  it('is not there without audio', async () => {
    render(App, { backend: new FakeBackend([makeDocument(['One.'], { path: PATH })]) });
    await screen.findByRole('list', { name: 'Cues' });
    expect(screen.queryByRole('group', { name: 'Waveform' })).toBeNull();
  });

  it('shows progress while the peaks compute, then the waveform once Rust says they are ready', async () => {
    const backend = new SlowPeaks([makeDocument(['One.', 'Two.'], { path: PATH })]);
    const strip = await setup(backend);
    const bar = await within(strip).findByRole('progressbar', { name: 'Computing the waveform' });
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '40'));
    expect(strip).toHaveTextContent('40%');

    backend.emitProgress('computing', 70);
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '70'));
    const asked = backend.waveformCalls.length;
    expect(asked).toBeGreaterThan(0);

    backend.peaks.status = 'ready';
    backend.emitProgress('ready', 100);
    await waitFor(() => expect(within(strip).queryByRole('progressbar')).toBeNull());
    expect(strip).toHaveAttribute('data-status', 'ready');
    expect(backend.waveformCalls.length).toBeGreaterThan(asked);
    // The canvas publishes the view it draws (for end-to-end tests).
    const canvas = strip.querySelector('canvas')!;
    await waitFor(() => expect(canvas.dataset.spanMs).toBe('20000'));
    expect(canvas.dataset.startMs).toBe('0');
  });

  it('says why when there is no waveform', async () => {
    const backend = new SlowPeaks([makeDocument(['One.', 'Two.'], { path: PATH })]);
    backend.peaks = { status: 'failed', progress: 0, message: 'Unsupported or corrupt audio' };
    const strip = await setup(backend);
    expect(await within(strip).findByRole('status')).toHaveTextContent('No waveform: Unsupported or corrupt audio');
    expect(within(strip).queryByRole('progressbar')).toBeNull();
  });

  it('zooms between 5 s and 120 s with its buttons', async () => {
    const strip = await setup(new FakeBackend([makeDocument(['One.', 'Two.'], { path: PATH })]));
    const width = within(strip).getByLabelText('Waveform width');
    expect(width).toHaveTextContent('20 s');
    const zoomIn = within(strip).getByRole('button', { name: 'Zoom in' });
    const zoomOut = within(strip).getByRole('button', { name: 'Zoom out' });
    await fireEvent.click(zoomIn);
    expect(width).toHaveTextContent('13 s');
    for (let i = 0; i < 5; i++) await fireEvent.click(zoomIn);
    expect(width).toHaveTextContent('5 s');
    expect(zoomIn).toBeDisabled();
    for (let i = 0; i < 12; i++) await fireEvent.click(zoomOut);
    expect(width).toHaveTextContent('120 s');
    expect(zoomOut).toBeDisabled();
    await waitFor(() => expect(strip.querySelector('canvas')!.dataset.spanMs).toBe('120000'));
  });

  it('asks for three screens of columns, and not again while playback stays inside them', async () => {
    const backend = new SlowPeaks([makeDocument(['One.', 'Two.'], { path: PATH })]);
    backend.peaks.status = 'ready';
    await setup(backend);
    await waitFor(() => expect(backend.waveformCalls).toContain('0..60000/3000'));
    const before = backend.waveformCalls.length;
    await fireEvent.click(screen.getByRole('button', { name: 'Play' }));
    // 20 s of playback in 50 ms ticks: the view moves 20 s, still inside 0..60 s.
    for (let i = 0; i < 400; i++) backend.advance(50);
    await new Promise((r) => setTimeout(r, 150));
    expect(backend.waveformCalls.length).toBe(before);
    // At 50 s the view (44..64 s) has left them: one new request, three screens from 34 s.
    for (let i = 0; i < 600; i++) backend.advance(50);
    await waitFor(() => expect(backend.waveformCalls.length).toBe(before + 1));
    const [, from, to] = /^(\d+)\.\.(\d+)\/3000$/.exec(backend.waveformCalls.at(-1)!)!.map(Number);
    expect(from).toBeGreaterThanOrEqual(34_000);
    expect(from).toBeLessThan(34_500);
    expect(to - from).toBe(60_000);
    await new Promise((r) => setTimeout(r, 150));
    expect(backend.waveformCalls.length).toBe(before + 1);
  });

  it('seeks where it is clicked, keeping the playing state', async () => {
    const backend = new FakeBackend([makeDocument(['One.', 'Two.', 'Three.'], { path: PATH })]);
    const strip = await setup(backend);
    const canvas = strip.querySelector('canvas')!;
    await fireEvent.pointerDown(canvas, { button: 0, pointerId: 1, clientX: 500 });
    await fireEvent.pointerUp(canvas, { button: 0, pointerId: 1, clientX: 501 });
    await waitFor(() => expect(backend.calls).toContain('playback {"op":"seek","ms":10000,"play":false}'));
    expect(backend.edits).toEqual([]);
  });

  it('drags a cue boundary as one timing edit, clamped to the cue; Esc cancels a drag', async () => {
    const backend = new FakeBackend([makeDocument(['One.', 'Two.', 'Three.'], { path: PATH })]);
    const strip = await setup(backend);
    const canvas = strip.querySelector('canvas')!;
    const timing = () => backend.edits.flat().filter((e: EditDto) => e.op === 'set_timing');
    // Cue 1 is 4.0–7.5 s: its start is at x = 200. Grab it 3 px off and drag it to 5 s.
    await fireEvent.pointerMove(canvas, { pointerId: 1, clientX: 203 });
    expect(canvas.style.cursor).toBe('ew-resize');
    await fireEvent.pointerDown(canvas, { button: 0, pointerId: 1, clientX: 203 });
    await fireEvent.pointerMove(canvas, { pointerId: 1, clientX: 230 });
    await fireEvent.pointerMove(canvas, { pointerId: 1, clientX: 250 });
    await fireEvent.pointerUp(canvas, { button: 0, pointerId: 1, clientX: 250 });
    await waitFor(() => expect(timing()).toEqual([{ op: 'set_timing', cue: 1, start_ms: 5000 }]));
    expect(backend.edits).toHaveLength(1);
    expect(backend.calls.filter((c) => c.startsWith('playback'))).toEqual([]);

    // Its end (7.5 s, x = 375) cannot go before its start: dropped at 0 it lands on 5 s.
    await fireEvent.pointerDown(canvas, { button: 0, pointerId: 2, clientX: 376 });
    await fireEvent.pointerMove(canvas, { pointerId: 2, clientX: 0 });
    await fireEvent.pointerUp(canvas, { button: 0, pointerId: 2, clientX: 0 });
    await waitFor(() => expect(timing().at(-1)).toEqual({ op: 'set_timing', cue: 1, end_ms: 5000 }));

    // Esc during a drag: nothing changes, and Esc does not reach the app (play/pause).
    const edits = backend.edits.length;
    await fireEvent.pointerDown(canvas, { button: 0, pointerId: 3, clientX: 400 }); // cue 2's start, 8 s
    await fireEvent.pointerMove(canvas, { pointerId: 3, clientX: 450 });
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape', bubbles: true, cancelable: true }));
    await fireEvent.pointerUp(canvas, { button: 0, pointerId: 3, clientX: 450 });
    await new Promise((r) => setTimeout(r, 50));
    expect(backend.edits).toHaveLength(edits);
    expect(backend.calls.filter((c) => c.startsWith('playback'))).toEqual([]);
    // Keys reach the app again afterwards.
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape', bubbles: true, cancelable: true }));
    await waitFor(() => expect(backend.calls).toContain('playback {"op":"toggle"}'));
  });
});
